/**
 * Every input of action.yml, parsed and validated into one typed config before any request.
 * A problem names its input and says what was expected; all problems are reported together, so a
 * workflow author fixes them in one round trip. No problem text ever repeats a secret input.
 */
import { DEFAULT_API_URL } from '../types.js'
import {
  DEFAULT_SCOPE,
  formatDuration,
  looksLikeTokenValue,
  parseCustomerId,
  parseDateOrAge,
  parseDayCount,
  parseDuration,
  parseOneTimeCode,
  parseScope,
  parseServices
} from '../input/index.js'
import { parseTokenIdList, type AuditFilter } from '../revoke/index.js'
import { parseApiUrl } from './api-url.js'
import { parseBoolean } from './booleans.js'
import { splitLeakedValues } from './masking.js'
import { defaultTokenName, type RunContext } from './run-context.js'

export const DEFAULT_EXPIRES_IN = '1h'
const MAX_IDS_FILE_BYTES = 16 * 1024 * 1024
/** Shortest lifetime: shorter tokens can expire between the mint and the verification read. */
const MIN_EXPIRES_IN_MS = 60_000
/** Longest lifetime: this action hands out short-lived credentials, not standing ones. */
const MAX_EXPIRES_IN_MS = 30 * 86_400_000

/** The inputs that only mode: audit reads. */
const AUDIT_INPUTS = [
  'audit-name',
  'audit-scope',
  'audit-created-before',
  'audit-expired',
  'audit-unused-days',
  'audit-never-expires'
] as const

export interface MintConfig {
  /** Absent: the sudo flow (api-token + password). */
  username?: string
  password: string
  otp?: string
  totpSecret?: string
  name: string
  /** Space-delimited, normalized (deduplicated, in the order given). */
  scope: string
  services: string[]
  expiresInMs: number
}

export interface ActionConfig {
  mode: 'token' | 'audit'
  apiUrl: string
  apiToken?: string
  /** Present when this run mints a token (a password was given). */
  mint?: MintConfig
  exportEnv: boolean
  /** Revoke the minted token in the post step. */
  revoke: boolean
  revokeIds: string[]
  malformedIds: string[]
  revokeValues: string[]
  customerId?: string
  dryRun: boolean
  audit?: { filter: AuditFilter; revokeMatching: boolean }
}

export interface InputProblem {
  input: string
  problem: string
}

export class InputError extends Error {
  readonly problems: InputProblem[]
  constructor(problems: InputProblem[]) {
    const lines = problems.map(p => `input "${p.input}": ${p.problem}`)
    super(lines.length === 1 ? lines[0] : `${lines.length} invalid inputs:\n${lines.join('\n')}`)
    this.name = 'InputError'
    this.problems = problems
  }
}

export interface InputSources {
  /** Raw input text as the runner passes it, '' when unset. */
  read(name: string): string
  readTextFile(path: string): string
  context: RunContext
  now: number
}

export function parseInputs(sources: InputSources): ActionConfig {
  const problems: InputProblem[] = []
  const fail = (input: string, problem: string) => void problems.push({ input, problem })
  const read = (name: string) => sources.read(name).trim()

  const bool = (name: string, fallback: boolean): boolean => {
    const text = read(name)
    if (text === '') return fallback
    const value = parseBoolean(text)
    if (value === undefined) fail(name, `expected true or false, got "${text}"`)
    return value ?? fallback
  }
  const optionalBool = (name: string): boolean | undefined => {
    const text = read(name)
    if (text === '') return undefined
    const value = parseBoolean(text)
    if (value === undefined) fail(name, `expected true or false, got "${text}"`)
    return value
  }

  const modeText = read('mode') || 'token'
  if (modeText !== 'token' && modeText !== 'audit') fail('mode', `expected token or audit, got "${modeText}"`)
  const mode = modeText === 'audit' ? 'audit' : 'token'

  let apiUrl = ''
  const apiUrlResult = parseApiUrl(read('api-url') || DEFAULT_API_URL)
  if (apiUrlResult.ok) apiUrl = apiUrlResult.url
  else fail('api-url', apiUrlResult.problem)

  const apiToken = read('api-token') || undefined
  if (apiToken && /\s/.test(apiToken))
    fail('api-token', 'expected a single token (it has blanks or line breaks inside)')

  const username = read('username') || undefined
  const password = sources.read('password') || undefined
  const otpText = read('otp')
  const totpSecretText = read('totp-secret').replace(/[\s-]/g, '').toUpperCase()
  const totpSecret = totpSecretText || undefined
  let otp: string | undefined
  if (otpText) {
    const code = parseOneTimeCode(otpText)
    if (code.ok) otp = code.value
    else fail('otp', code.problem)
  }
  if (totpSecret && !/^[A-Z2-7]{16,}=*$/.test(totpSecret)) {
    fail('totp-secret', 'expected the base32 secret of the authenticator (16 or more characters A-Z and 2-7)')
  }
  if (otpText && totpSecret) fail('otp', 'give either otp or totp-secret, not both')

  const exportEnv = bool('export-env', true)
  const revoke = bool('revoke', true)
  const dryRun = bool('dry-run', false)
  const revokeMatching = bool('revoke-matching', false)

  let customerId: string | undefined
  const customerText = read('customer-id')
  if (customerText) {
    const customer = parseCustomerId(customerText)
    if (customer.ok) customerId = customer.value
    else fail('customer-id', customer.problem)
  }

  // Ids: the inline list and the file are one list; the engine's parser trims, dedupes, sorts out malformed.
  let idText = read('revoke-token-ids')
  const idsFile = read('revoke-token-ids-file')
  if (idsFile) {
    try {
      const content = sources.readTextFile(idsFile)
      if (content.length > MAX_IDS_FILE_BYTES)
        fail('revoke-token-ids-file', `"${idsFile}" is larger than 16 MiB`)
      else idText += `\n${content}`
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable'
      fail('revoke-token-ids-file', `cannot read "${idsFile}" (${code}); expected a text file of token ids`)
    }
  }
  const { ids: revokeIds, malformed: malformedIds } = parseTokenIdList(idText)
  const valueLike = malformedIds.filter(looksLikeTokenValue)
  if (valueLike.length > 0) {
    fail(
      idsFile ? 'revoke-token-ids / revoke-token-ids-file' : 'revoke-token-ids',
      `${valueLike.length} entr${valueLike.length === 1 ? 'y looks' : 'ies look'} like a token value, not a token id (masked); put leaked values in revoke-token-values`
    )
  }

  const values = splitLeakedValues(sources.read('revoke-token-values'))
  if (values.invalidLines.length > 0) {
    fail(
      'revoke-token-values',
      `line ${values.invalidLines.join(', ')}: expected one token value per line (blanks inside)`
    )
  }
  const revokeValues = values.values

  let audit: ActionConfig['audit']
  let mint: MintConfig | undefined

  if (mode === 'audit') {
    if (!apiToken)
      fail('api-token', 'required with mode: audit (the token whose tokens, or customer, to audit)')
    if (password) fail('password', 'not used with mode: audit (audit mints nothing)')
    if (revokeIds.length + malformedIds.length > 0)
      fail('revoke-token-ids', 'not used with mode: audit (use revoke-matching)')
    if (revokeValues.length > 0) fail('revoke-token-values', 'not used with mode: audit')
    const filter: AuditFilter = {}
    const nameGlob = read('audit-name')
    if (nameGlob) filter.nameGlob = nameGlob
    const auditScope = read('audit-scope')
    if (auditScope) {
      const scope = parseScope(auditScope)
      if (scope.ok) filter.scope = scope.value
      else fail('audit-scope', scope.problem)
    }
    const createdBefore = read('audit-created-before')
    if (createdBefore) {
      const date = parseDateOrAge(createdBefore, sources.now)
      if (date.ok) filter.createdBefore = date.value
      else fail('audit-created-before', date.problem)
    }
    const expired = optionalBool('audit-expired')
    if (expired !== undefined) filter.expired = expired
    const neverExpires = optionalBool('audit-never-expires')
    if (neverExpires !== undefined) filter.neverExpires = neverExpires
    const unused = read('audit-unused-days')
    if (unused) {
      const days = parseDayCount(unused)
      if (days.ok) filter.unusedForDays = days.value
      else fail('audit-unused-days', days.problem)
    }
    if (revokeMatching && Object.keys(filter).length === 0) {
      fail(
        'revoke-matching',
        'needs at least one audit filter (audit-name, audit-scope, ...): it would revoke every token'
      )
    }
    audit = { filter, revokeMatching }
  } else {
    for (const name of AUDIT_INPUTS) if (read(name)) fail(name, 'only used with mode: audit')
    if (revokeMatching) fail('revoke-matching', 'only used with mode: audit')
    if (password) {
      if (!username && !apiToken)
        fail('username', 'required with password, unless api-token is given (the sudo flow)')
      if (dryRun)
        fail('dry-run', 'a dry run cannot mint a token (minting is a write); remove password or dry-run')
      const scope = parseScope(read('scope') || DEFAULT_SCOPE)
      if (!scope.ok) fail('scope', scope.problem)
      const services = parseServices(read('services'))
      if (!services.ok) fail('services', services.problem)
      const expiresText = read('expires-in') || DEFAULT_EXPIRES_IN
      const duration = parseDuration(expiresText)
      let expiresInMs = 0
      if (!duration.ok) fail('expires-in', duration.problem)
      else if (duration.value < MIN_EXPIRES_IN_MS || duration.value > MAX_EXPIRES_IN_MS) {
        fail('expires-in', `expected between 1m and ${formatDuration(MAX_EXPIRES_IN_MS)}, got ${expiresText}`)
      } else expiresInMs = duration.value
      const name = read('name') || defaultTokenName(sources.context)
      if (name.length > 255 || [...name].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
        fail('name', 'expected at most 255 characters without control characters')
      }
      const scopeText = scope.ok ? scope.value : DEFAULT_SCOPE
      if (revokeIds.length > 0 && !apiToken && !scopeText.split(' ').includes('global')) {
        fail(
          'revoke-token-ids',
          `revoking with the minted token needs scope global (scope is "${scopeText}"); set scope: global or give api-token`
        )
      }
      mint = {
        ...(username ? { username } : {}),
        password,
        ...(otp ? { otp } : {}),
        ...(totpSecret ? { totpSecret } : {}),
        name,
        scope: scopeText,
        services: services.ok ? services.value : [],
        expiresInMs
      }
    } else {
      if (username) fail('password', 'required when username is given')
      if (otpText || totpSecret)
        fail(otpText ? 'otp' : 'totp-secret', 'only used when minting (with password)')
      if ((revokeIds.length > 0 || malformedIds.length > 0) && !apiToken) {
        fail(
          'api-token',
          'required to revoke token ids without minting (or give password to mint a token that revokes them)'
        )
      }
      if (revokeIds.length + malformedIds.length + revokeValues.length === 0) {
        fail(
          'password',
          'nothing to do: give password (with username or api-token) to mint a token, revoke-token-ids / revoke-token-ids-file / revoke-token-values to revoke, or mode: audit'
        )
      }
    }
  }

  if (problems.length > 0) throw new InputError(problems)
  return {
    mode,
    apiUrl,
    ...(apiToken ? { apiToken } : {}),
    ...(mint ? { mint } : {}),
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
