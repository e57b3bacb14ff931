import type { FastlyTokensClient } from '../client/index.js'
import type { AutomationToken, Token } from '../types.js'
import { describeFailure, type ApiFailureLike } from './refusal.js'

/**
 * Auditing the tokens a caller can see (its own, or a customer's for a superuser): which are
 * stale, everlasting, over-privileged or named like CI leftovers. Filters combine with AND; an
 * empty filter matches every token. The matches feed revokeMany when the caller asks for it.
 */

export interface AuditFilter {
  /** Shell-style glob on the token name, whole name, case-sensitive: `*` any run, `?` one character. */
  nameGlob?: string
  /** The token holds every one of these scopes (space-delimited) among its own. */
  scope?: string
  /** Created strictly before this instant. */
  createdBefore?: Date
  /** true: expired now; false: not expired (no expiry, or in the future). */
  expired?: boolean
  /** Not used for at least this many days; a never-used token counts from its creation. */
  unusedForDays?: number
  /** true: has no expiry; false: has one. */
  neverExpires?: boolean
}

export interface AuditResult {
  /** Tokens that pass every filter, in the order the API listed them. */
  matches: Token[]
  /** How many tokens were listed and examined. */
  scanned: number
  /** Why the automation tokens could not be listed (not a superuser, say), when they could not. */
  automationSkipped?: string
  /** Browser-session tokens that matched but were left out (includeSessions was not set). */
  sessionsKept?: number
}

export interface AuditOptions {
  customerId?: string
  /**
   * With customerId, the customer's automation tokens are audited too (GET /automation-tokens,
   * a superuser's read), marked `type: 'automation'`. Default true; a refusal is a note, not a failure.
   */
  automation?: boolean
  /** Browser sessions (named for manage.fastly.com) can match; default false: a broad audit
   *  that revokes its matches must not log a person out of the web UI. */
  includeSessions?: boolean
  /** "Now" for expiry and age (epoch ms; default Date.now()). */
  now?: number
  deadline?: number
  signal?: AbortSignal
}

const DAY_MS = 86_400_000

/** `ci-*` -> /^ci-.*$/: only `*` and `?` are special; everything else matches itself. */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob]
    .map(ch => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+(){}[\]]/g, '\\$&')))
    .join('')
  return new RegExp(`^${body}$`, 's')
}

/** Refuses a filter that could only be a mistake, naming the field, before any request. */
export function checkAuditFilter(filter: AuditFilter): void {
  if (typeof filter !== 'object' || filter === null) throw new TypeError('the audit filter must be an object')
  const { nameGlob, scope, createdBefore, expired, unusedForDays, neverExpires } = filter
  if (nameGlob !== undefined && (typeof nameGlob !== 'string' || nameGlob === '')) {
    throw new TypeError('nameGlob must be a non-empty glob such as "ci-*"')
  }
  if (scope !== undefined && (typeof scope !== 'string' || scope.trim() === '')) {
    throw new TypeError('scope must be a scope name such as "global" or "purge_all"')
  }
  if (
    createdBefore !== undefined &&
    (!(createdBefore instanceof Date) || Number.isNaN(createdBefore.getTime()))
  ) {
    throw new TypeError('createdBefore must be a valid Date')
  }
  if (expired !== undefined && typeof expired !== 'boolean')
    throw new TypeError('expired must be true or false')
  if (neverExpires !== undefined && typeof neverExpires !== 'boolean') {
    throw new TypeError('neverExpires must be true or false')
  }
  if (unusedForDays !== undefined && (!Number.isFinite(unusedForDays) || unusedForDays < 0)) {
    throw new TypeError('unusedForDays must be a number of days >= 0')
  }
}

/** Does one token pass every filter at `now`? */
export function matchesAuditFilter(token: Token, filter: AuditFilter, now: number): boolean {
  if (filter.nameGlob !== undefined && !globToRegExp(filter.nameGlob).test(token.name)) return false
  if (filter.scope !== undefined) {
    const held = new Set([...token.scope.split(/\s+/), ...(token.scopes ?? [])].filter(Boolean))
    if (
      !filter.scope
        .split(/\s+/)
        .filter(Boolean)
        .every(s => held.has(s))
    )
      return false
  }
  const created = Date.parse(token.created_at)
  if (filter.createdBefore !== undefined && !(created < filter.createdBefore.getTime())) return false
  const expiresAt = token.expires_at === null ? null : Date.parse(token.expires_at)
  if (filter.neverExpires !== undefined && filter.neverExpires !== (expiresAt === null)) return false
  if (filter.expired !== undefined) {
    const isExpired = expiresAt !== null && expiresAt <= now
    if (filter.expired !== isExpired) return false
  }
  if (filter.unusedForDays !== undefined) {
    const lastUse = token.last_used_at ? Date.parse(token.last_used_at) : created
    if (!(lastUse <= now - filter.unusedForDays * DAY_MS)) return false
  }
  return true
}

export async function auditTokens(
  client: FastlyTokensClient,
  filter: AuditFilter,
  options: AuditOptions = {}
): Promise<AuditResult> {
  checkAuditFilter(filter)
  const call = { deadline: options.deadline, signal: options.signal }
  const tokens =
    options.customerId === undefined
      ? await client.listTokensUser(call)
      : await client.listTokensCustomer(options.customerId, call)
  const result: AuditResult = { matches: [], scanned: tokens.length }
  const all = [...tokens]
  if (options.customerId !== undefined && options.automation !== false) {
    try {
      for (const t of await client.listAutomationTokens(call)) all.push(asAuditedToken(t))
      result.scanned = all.length
    } catch (error) {
      result.automationSkipped = describeFailure(error as ApiFailureLike)
    }
  }
  const now = options.now ?? Date.now()
  let sessions = 0
  for (const t of all) {
    if (!matchesAuditFilter(t, filter, now)) continue
    if (options.includeSessions !== true && isBrowserSession(t)) sessions++
    else result.matches.push(t)
  }
  if (sessions > 0) result.sessionsKept = sessions
  return result
}

/** The recorded lists name the web UI's session tokens for manage.fastly.com. */
export function isBrowserSession(token: Pick<Token, 'name'>): boolean {
  return /\bmanage\.fastly\.com\b/i.test(token.name)
}

/** An automation record in the shape the filters read: '' dates as null, its creator as owner. */
function asAuditedToken(t: AutomationToken): Token {
  const scope = t.scope ?? t.scopes ?? ''
  return {
    id: t.id,
    user_id: t.creator_id ?? '',
    customer_id: t.customer_id,
    name: t.name,
    scope: scope as Token['scope'],
    services: t.services ?? [],
    created_at: t.created_at,
    expires_at: t.expires_at === '' ? null : t.expires_at,
    last_used_at: t.last_used_at === '' ? null : t.last_used_at,
    type: 'automation'
  }
}
