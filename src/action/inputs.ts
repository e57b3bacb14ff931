/**
 * Every input of action.yml, parsed and validated into one typed config before any request.
 * A problem names its input and says what was expected; all problems are reported together, so a
 * workflow author fixes them in one round trip. No problem text ever repeats a secret input.
 */
import { DEFAULT_API_URL } from '../types.js'
import { parseTokenIdList } from '../revoke/index.js'
import { parseApiUrl } from './api-url.js'
import { parseBoolean } from './booleans.js'
import { MAX_EXPIRES_IN_MS, MIN_EXPIRES_IN_MS, formatDuration, parseDuration } from './duration.js'
import { looksLikeTokenValue, splitLeakedValues } from './masking.js'
import { defaultTokenName, type RunContext } from './run-context.js'

export const SCOPE_NAMES = ['global', 'purge_select', 'purge_all', 'global:read'] as const
export const DEFAULT_SCOPE = 'global:read'
export const DEFAULT_EXPIRES_IN = '1h'
export const MAX_IDS_FILE_BYTES = 16 * 1024 * 1024

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

export interface AuditSelection {
  nameGlob?: string
  scope?: string
  createdBefore?: Date
  expired?: boolean
  unusedForDays?: number
  neverExpires?: boolean
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
  audit?: { filter: AuditSelection; revokeMatching: boolean }
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

/** Splits on commas, newlines and blanks; drops empties and duplicates, keeps order. */
function splitList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))]
}

export function parseScope(text: string): { ok: true; scope: string } | { ok: false; problem: string } {
  const names = splitList(text)
  if (names.length === 0) return { ok: true, scope: DEFAULT_SCOPE }
  const unknown = names.filter(n => !(SCOPE_NAMES as readonly string[]).includes(n))
  if (unknown.length > 0) {
    return {
      ok: false,
      problem: `unknown scope ${unknown.map(u => `"${u}"`).join(', ')}; expected ${SCOPE_NAMES.join(', ')}`
    }
  }
  return { ok: true, scope: names.join(' ') }
}

export function parseServices(
  text: string
): { ok: true; services: string[] } | { ok: false; problem: string } {
  const services = splitList(text)
  const bad = services.filter(s => !/^[A-Za-z0-9]{1,64}$/.test(s))
  if (bad.length > 0) {
    return {
      ok: false,
      problem: `expected alphanumeric service ids separated by commas or newlines, got "${bad[0]}"`
    }
  }
  return { ok: true, services }
}

/** JavaScript rolls 2024-02-31 over to 2 March; a responder who typed it meant something else. */
function isCalendarDate(ymd: string): boolean {
  const [year, month, day] = ymd.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

function parseDate(text: string, now: number): Date | string {
  const duration = parseDuration(text)
  if (duration.ok) return new Date(now - duration.ms)
  if (/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text)
    if (!Number.isNaN(date.getTime()) && isCalendarDate(text.slice(0, 10))) return date
  }
  return `expected a date (2024-01-31 or 2024-01-31T12:00:00Z) or an age like 30d, got "${text}"`
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
  const otp = read('otp') || undefined
  const totpSecretText = read('totp-secret').replace(/[\s-]/g, '').toUpperCase()
  const totpSecret = totpSecretText || undefined
  if (otp && !/^\d{6,8}$/.test(otp))
    fail('otp', 'expected the 6-digit one-time code of the account (digits only)')
  if (totpSecret && !/^[A-Z2-7]{16,}=*$/.test(totpSecret)) {
    fail('totp-secret', 'expected the base32 secret of the authenticator (16 or more characters A-Z and 2-7)')
  }
  if (otp && totpSecret) fail('otp', 'give either otp or totp-secret, not both')

  const exportEnv = bool('export-env', true)
  const revoke = bool('revoke', true)
  const dryRun = bool('dry-run', false)
  const revokeMatching = bool('revoke-matching', false)

  const customerId = read('customer-id') || undefined
  if (customerId && !/^[A-Za-z0-9]{1,64}$/.test(customerId))
    fail('customer-id', 'expected an alphanumeric customer id')

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

  const auditInputs = [
    'audit-name',
    'audit-scope',
    'audit-created-before',
    'audit-expired',
    'audit-unused-days',
    'audit-never-expires'
  ]
  let audit: ActionConfig['audit']
  let mint: MintConfig | undefined

  if (mode === 'audit') {
    if (!apiToken)
      fail('api-token', 'required with mode: audit (the token whose tokens, or customer, to audit)')
    if (password) fail('password', 'not used with mode: audit (audit mints nothing)')
    if (revokeIds.length + malformedIds.length > 0)
      fail('revoke-token-ids', 'not used with mode: audit (use revoke-matching)')
    if (revokeValues.length > 0) fail('revoke-token-values', 'not used with mode: audit')
    const filter: AuditSelection = {}
    const nameGlob = read('audit-name')
    if (nameGlob) filter.nameGlob = nameGlob
    const auditScope = read('audit-scope')
    if (auditScope) {
      const scope = parseScope(auditScope)
      if (scope.ok) filter.scope = scope.scope
      else fail('audit-scope', scope.problem)
    }
    const createdBefore = read('audit-created-before')
    if (createdBefore) {
      const date = parseDate(createdBefore, sources.now)
      if (typeof date === 'string') fail('audit-created-before', date)
      else filter.createdBefore = date
    }
    const expired = optionalBool('audit-expired')
    if (expired !== undefined) filter.expired = expired
    const neverExpires = optionalBool('audit-never-expires')
    if (neverExpires !== undefined) filter.neverExpires = neverExpires
    const unused = read('audit-unused-days')
    if (unused) {
      if (/^\d+$/.test(unused) && Number(unused) > 0 && Number(unused) <= 36_500)
        filter.unusedForDays = Number(unused)
      else fail('audit-unused-days', `expected a whole number of days (1 or more), got "${unused}"`)
    }
    if (revokeMatching && Object.keys(filter).length === 0) {
      fail(
        'revoke-matching',
        'needs at least one audit filter (audit-name, audit-scope, ...): it would revoke every token'
      )
    }
    audit = { filter, revokeMatching }
  } else {
    for (const name of auditInputs) if (read(name)) fail(name, 'only used with mode: audit')
    if (revokeMatching) fail('revoke-matching', 'only used with mode: audit')
    if (password) {
      if (!username && !apiToken)
        fail('username', 'required with password, unless api-token is given (the sudo flow)')
      if (dryRun)
        fail('dry-run', 'a dry run cannot mint a token (minting is a write); remove password or dry-run')
      const scope = parseScope(read('scope'))
      if (!scope.ok) fail('scope', scope.problem)
      const services = parseServices(read('services'))
      if (!services.ok) fail('services', services.problem)
      const expiresText = read('expires-in') || DEFAULT_EXPIRES_IN
      const duration = parseDuration(expiresText)
      let expiresInMs = 0
      if (!duration.ok)
        fail('expires-in', `${duration.problem}; expected a duration like 15m, 1h, 90m or 1h30m`)
      else if (duration.ms < MIN_EXPIRES_IN_MS || duration.ms > MAX_EXPIRES_IN_MS) {
        fail('expires-in', `expected between 1m and ${formatDuration(MAX_EXPIRES_IN_MS)}, got ${expiresText}`)
      } else expiresInMs = duration.ms
      const name = read('name') || defaultTokenName(sources.context)
      if (name.length > 255 || [...name].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
        fail('name', 'expected at most 255 characters without control characters')
      }
      const scopeText = scope.ok ? scope.scope : DEFAULT_SCOPE
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
        services: services.ok ? services.services : [],
        expiresInMs
      }
    } else {
      if (username) fail('password', 'required when username is given')
      if (otp || totpSecret) fail(otp ? 'otp' : 'totp-secret', 'only used when minting (with password)')
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
