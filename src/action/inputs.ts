/**
 * Every input of action.yml, parsed and validated into one typed config before any request. This
 * file reads what every mode shares (mode, api-url, api-token, the switches, the ids and values to
 * revoke) and the rules that tie inputs together; mint-inputs.ts and audit-inputs.ts read the rest.
 * All problems are collected by one InputReader and thrown together as one InputError.
 */
import { DEFAULT_API_URL } from '../types.js'
import { cleanPastedValue, parseCustomerId, parseOneTimeCode } from '../input/index.js'
import {
  entriesLook,
  IdDocumentError,
  IdFileError,
  malformedProblem,
  parseIdDocument,
  parseTokenIdList
} from '../revoke/index.js'
import { parseApiUrl } from './api-url.js'
import { parseAuditInputs, refuseAuditInputs, type AuditConfig } from './audit-inputs.js'
import { parseBrokerInputs, type BrokerConfig } from './broker-inputs.js'
import { InputError, inputReader, type InputReader } from './input-reader.js'
import { parseMintInputs, type MintConfig, type MintCredentials } from './mint-inputs.js'
import type { RunContext } from './run-context.js'

export { InputError, type InputProblem } from './input-reader.js'

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
  /** revoke-include-self: revoke api-token itself when it is on the list (default: keep it). */
  includeSelf: boolean
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

/** Why the ids file could not be used, in words that name neither the path nor its content. */
function idsFileProblem(error: unknown): string {
  if (error instanceof IdFileError || error instanceof IdDocumentError) return error.message
  const code = (error as NodeJS.ErrnoException).code ?? 'unreadable'
  return `cannot be read (${code}); the path is not printed, in case it is a secret`
}

/**
 * The inline ids and the file are one list. The file goes through the module's reader (bounded,
 * regular files only, comments and JSON forms: src/revoke/id-file.ts); the engine's parser trims,
 * dedupes and sorts out malformed entries.
 */
function readIds(input: InputReader, readTextFile: (path: string) => string) {
  const inline = parseTokenIdList(input.read('revoke-token-ids'))
  const ids = new Set(inline.ids)
  const malformed = new Set(inline.malformed)
  const idsFile = input.read('revoke-token-ids-file')
  if (idsFile) {
    try {
      const list = parseIdDocument(readTextFile(idsFile))
      for (const id of list.ids) ids.add(id)
      for (const entry of list.malformed) malformed.add(entry)
    } catch (error) {
      input.fail('revoke-token-ids-file', `${idsFileProblem(error)}; expected a text file of token ids`)
    }
  }
  const names = idsFile ? 'revoke-token-ids / revoke-token-ids-file' : 'revoke-token-ids'
  const problem = malformedProblem([...malformed])
  if (problem?.kind === 'value-like') {
    input.fail(
      names,
      `${entriesLook(problem.count)} like a token value, not a token id (masked); put leaked values in revoke-token-values`
    )
  } else if (problem?.kind === 'not-ids') {
    input.fail(names, `${problem.count} entries are not token ids (${problem.summary}); expected token ids`)
  }
  return { revokeIds: [...ids], malformedIds: [...malformed] }
}

/**
 * `revoke-token-values`: one value per line; blank lines and repeats (of the cleaned value)
 * dropped. A pasted wrapping (`"V"`, `KEY=V`, `Bearer V`, a trailing comma) is the engine's to
 * strip; a line that is still no token value gets the outcome `malformed` there (never "gone"),
 * so that the other lines are still revoked. Lines only: the values are masked before this runs.
 */
export function splitLeakedValues(text: string): string[] {
  const values: string[] = []
  const seen = new Set<string>()
  for (const line of text.split(/\r?\n/)) {
    const value = line.trim()
    if (value === '') continue
    const cleaned = cleanPastedValue(value)
    const key = cleaned.kind === 'malformed' ? value : cleaned.value
    if (seen.has(key)) continue
    seen.add(key)
    values.push(value)
  }
  return values
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
  const includeSelf = input.bool('revoke-include-self', false)

  let customerId: string | undefined
  const customerText = read('customer-id')
  if (customerText) {
    const customer = parseCustomerId(customerText)
    if (customer.ok) customerId = customer.value
    else fail('customer-id', customer.problem)
  }

  const { revokeIds, malformedIds } = readIds(input, sources.readTextFile)
  const revokeValues = splitLeakedValues(input.readRaw('revoke-token-values'))
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
    includeSelf,
    ...(audit ? { audit } : {})
  }
}
