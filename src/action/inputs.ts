/**
 * Every input of action.yml, parsed and validated into one typed config before any request. This
 * file reads what every mode shares (mode, api-url, api-token, the switches, the ids and values to
 * revoke) and the rules that tie inputs together; mint-inputs.ts and audit-inputs.ts read the rest.
 * All problems are collected by one InputReader and thrown together as one InputError.
 */
import { DEFAULT_API_URL } from '../types.js'
import { looksLikeTokenValue, parseCustomerId, parseOneTimeCode } from '../input/index.js'
import { parseTokenIdList } from '../revoke/index.js'
import { parseApiUrl } from './api-url.js'
import { parseAuditInputs, refuseAuditInputs, type AuditConfig } from './audit-inputs.js'
import { parseBrokerInputs, type BrokerConfig } from './broker-inputs.js'
import { InputError, inputReader, type InputReader } from './input-reader.js'
import { parseMintInputs, type MintConfig, type MintCredentials } from './mint-inputs.js'
import type { RunContext } from './run-context.js'

export { InputError, type InputProblem } from './input-reader.js'

const MAX_IDS_FILE_BYTES = 16 * 1024 * 1024
/** What the client accepts as an API token (a leaked value is used as one): printable ASCII, no blanks. */
const TOKEN_TEXT = /^[\x21-\x7e]+$/

export interface ActionConfig {
  mode: 'token' | 'audit'
  apiUrl: string
  apiToken?: string
  /** Present when this run mints a token (a password was given). */
  mint?: MintConfig
  /** Present when this run gets its token from the keyless broker (broker-url was given). */
  broker?: BrokerConfig
  exportEnv: boolean
  /** Revoke the minted token in the post step. */
  revoke: boolean
  revokeIds: string[]
  malformedIds: string[]
  revokeValues: string[]
  customerId?: string
  dryRun: boolean
  audit?: AuditConfig
}

export interface InputSources {
  /** Input text as the runner passes it (trimmed or not), '' when unset. */
  read(name: string): string
  /** The input exactly as given (`INPUT_<NAME>` untrimmed); default `read`. Used for secrets. */
  readRaw?(name: string): string
  readTextFile(path: string): string
  context: RunContext
  now: number
}

/** username, password, otp and totp-secret, each checked on its own; whether they fit the mode comes later. */
function readCredentials(input: InputReader): Partial<MintCredentials> & { otpGiven: boolean } {
  const username = input.read('username') || undefined
  // Exactly as given (a password may start or end with a blank); only a blank one counts as unset.
  const rawPassword = input.readRaw('password')
  const password = rawPassword.trim() === '' ? undefined : rawPassword
  const otpText = input.read('otp')
  const totpSecret = input.read('totp-secret').replace(/[\s-]/g, '').toUpperCase() || undefined
  let otp: string | undefined
  if (otpText) {
    const code = parseOneTimeCode(otpText)
    if (code.ok) otp = code.value
    else input.fail('otp', code.problem)
  }
  if (totpSecret && !/^[A-Z2-7]{16,}=*$/.test(totpSecret)) {
    input.fail(
      'totp-secret',
      'expected the base32 secret of the authenticator (16 or more characters A-Z and 2-7)'
    )
  }
  if (otpText && totpSecret) input.fail('otp', 'give either otp or totp-secret, not both')
  return {
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(otp ? { otp } : {}),
    ...(totpSecret ? { totpSecret } : {}),
    otpGiven: otpText !== ''
  }
}

/** The inline ids and the file are one list; the engine's parser trims, dedupes, sorts out malformed. */
function readIds(input: InputReader, readTextFile: (path: string) => string) {
  let idText = input.read('revoke-token-ids')
  const idsFile = input.read('revoke-token-ids-file')
  if (idsFile) {
    try {
      const content = readTextFile(idsFile)
      if (content.length > MAX_IDS_FILE_BYTES)
        input.fail('revoke-token-ids-file', `"${idsFile}" is larger than 16 MiB`)
      else idText += `\n${content}`
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable'
      input.fail(
        'revoke-token-ids-file',
        `cannot read "${idsFile}" (${code}); expected a text file of token ids`
      )
    }
  }
  const { ids, malformed } = parseTokenIdList(idText)
  const valueLike = malformed.filter(looksLikeTokenValue)
  if (valueLike.length > 0) {
    input.fail(
      idsFile ? 'revoke-token-ids / revoke-token-ids-file' : 'revoke-token-ids',
      `${valueLike.length} entr${valueLike.length === 1 ? 'y looks' : 'ies look'} like a token value, not a token id (masked); put leaked values in revoke-token-values`
    )
  }
  return { revokeIds: ids, malformedIds: malformed }
}

/** `revoke-token-values`: one value per line; blank lines and duplicates dropped. */
export function splitLeakedValues(text: string): { values: string[]; invalidLines: number[] } {
  const values: string[] = []
  const invalidLines: number[] = []
  text.split(/\r?\n/).forEach((line, index) => {
    const value = line.trim()
    if (value === '') return
    if (!TOKEN_TEXT.test(value)) invalidLines.push(index + 1)
    else if (!values.includes(value)) values.push(value)
  })
  return { values, invalidLines }
}

export function parseInputs(sources: InputSources): ActionConfig {
  const input = inputReader(sources.read, sources.readRaw)
  const { read, fail } = input

  const modeText = read('mode') || 'token'
  if (modeText !== 'token' && modeText !== 'audit') fail('mode', `expected token or audit, got "${modeText}"`)
  const mode = modeText === 'audit' ? 'audit' : 'token'

  let apiUrl = ''
  const apiUrlResult = parseApiUrl(read('api-url') || DEFAULT_API_URL)
  if (apiUrlResult.ok) apiUrl = apiUrlResult.url
  else fail('api-url', apiUrlResult.problem)

  const apiToken = read('api-token') || undefined
  if (apiToken && !TOKEN_TEXT.test(apiToken))
    fail('api-token', 'expected a single token: printable ASCII without blanks or line breaks')

  const { otpGiven, ...credentials } = readCredentials(input)
  const { username, password } = credentials

  const exportEnv = input.bool('export-env', true)
  const revoke = input.bool('revoke', true)
  const dryRun = input.bool('dry-run', false)

  let customerId: string | undefined
  const customerText = read('customer-id')
  if (customerText) {
    const customer = parseCustomerId(customerText)
    if (customer.ok) customerId = customer.value
    else fail('customer-id', customer.problem)
  }

  const { revokeIds, malformedIds } = readIds(input, sources.readTextFile)
  const values = splitLeakedValues(input.readRaw('revoke-token-values'))
  if (values.invalidLines.length > 0) {
    fail(
      'revoke-token-values',
      `line ${values.invalidLines.join(', ')}: expected one token value per line, printable ASCII without blanks`
    )
  }
  const revokeValues = values.values
  const idCount = revokeIds.length + malformedIds.length

  let audit: AuditConfig | undefined
  let mint: MintConfig | undefined
  let broker: BrokerConfig | undefined
  const brokerGiven = read('broker-url') !== ''
  if (mode === 'audit') {
    if (brokerGiven) fail('broker-url', 'not used with mode: audit (audit mints nothing)')
    if (!apiToken)
      fail('api-token', 'required with mode: audit (the token whose tokens, or customer, to audit)')
    if (password) fail('password', 'not used with mode: audit (audit mints nothing)')
    if (idCount > 0) fail('revoke-token-ids', 'not used with mode: audit (use revoke-matching)')
    if (revokeValues.length > 0) fail('revoke-token-values', 'not used with mode: audit')
    audit = parseAuditInputs(input, sources.now)
  } else {
    refuseAuditInputs(input)
    if (brokerGiven) {
      broker = parseBrokerInputs(input)
      if (dryRun)
        fail('dry-run', 'a dry run cannot mint a token (minting is a write); remove broker-url or dry-run')
      if (revokeIds.length > 0 && !broker.scope.split(' ').includes('global')) {
        fail(
          'revoke-token-ids',
          `revoking with the minted token needs scope global (scope is "${broker.scope}"); set scope: global`
        )
      }
    } else if (password) {
      if (!username && !apiToken)
        fail('username', 'required with password, unless api-token is given (the sudo flow)')
      if (dryRun)
        fail('dry-run', 'a dry run cannot mint a token (minting is a write); remove password or dry-run')
      mint = parseMintInputs(input, sources.context, { ...credentials, password })
      if (revokeIds.length > 0 && !apiToken && !mint.scope.split(' ').includes('global')) {
        fail(
          'revoke-token-ids',
          `revoking with the minted token needs scope global (scope is "${mint.scope}"); set scope: global or give api-token`
        )
      }
    } else {
      if (username) fail('password', 'required when username is given')
      if (otpGiven || credentials.totpSecret)
        fail(otpGiven ? 'otp' : 'totp-secret', 'only used when minting (with password)')
      if (idCount > 0 && !apiToken) {
        fail(
          'api-token',
          'required to revoke token ids without minting (or give password to mint a token that revokes them)'
        )
      }
      if (idCount + revokeValues.length === 0) {
        fail(
          'password',
          'nothing to do: give password (with username or api-token) to mint a token, revoke-token-ids / revoke-token-ids-file / revoke-token-values to revoke, or mode: audit'
        )
      }
    }
  }

  if (input.problems.length > 0) throw new InputError([...input.problems])
  return {
    mode,
    apiUrl,
    ...(apiToken ? { apiToken } : {}),
    ...(mint ? { mint } : {}),
    ...(broker ? { broker } : {}),
    exportEnv,
    revoke,
    revokeIds,
    malformedIds,
    revokeValues,
    ...(customerId ? { customerId } : {}),
    dryRun,
    ...(audit ? { audit } : {})
  }
}
