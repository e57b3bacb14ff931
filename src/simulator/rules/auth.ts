import { createHash, timingSafeEqual } from 'node:crypto'
import type { Answer } from '../answer.js'
import type { RequestContext } from '../context.js'
import { headerValue } from '../context.js'
import { forbidden, legacyError, readOnlyRefused, unauthorized } from '../errors.js'
import type { SimUser, TokenRecord } from '../model.js'
import { formatApiTime, wholeSeconds } from '../timestamps.js'
import { canWrite, isReadOnly } from './scope.js'

/** A request authenticated by its Fastly-Key. */
export interface Caller {
  user: SimUser
  token: TokenRecord
}

/**
 * Resolves `Fastly-Key`. A missing, unknown or revoked key and an expired token all get 401
 * (the docs: "After a token expires, using it for any request will return an HTTP 401").
 * A successful use records last_used_at, ip and user_agent on the token, as the API does.
 */
export function authenticateKey(ctx: RequestContext): Caller | Answer {
  const key = headerValue(ctx.headers['fastly-key'])
  if (!key) return unauthorized('No Fastly-Key header was sent.')
  const token = ctx.core.store.tokenByAccess(key)
  const user = token ? ctx.core.store.userById(token.userId) : undefined
  if (!token || !user) return unauthorized('The Fastly-Key is not a live API token.')
  if (token.expiresAt !== null && token.expiresAt <= ctx.now) {
    // The real API's words (reference §5.1): the token's id and the time, as the msg.
    return legacyError(401, `Token ${token.id} expired at ${formatApiTime(token.expiresAt)}`)
  }
  token.lastUsedAt = wholeSeconds(ctx.now)
  token.ip = ctx.remoteAddress
  token.userAgent = headerValue(ctx.headers['user-agent']) ?? null
  ctx.caller = { user, token }
  return { user, token }
}

/** Writes on the token endpoints need the `global` scope; read-only tokens get their own message. */
export function requireWriteScope(token: TokenRecord): Answer | undefined {
  if (isReadOnly(token.scopes)) return readOnlyRefused()
  if (!canWrite(token.scopes)) {
    return forbidden(`A token with scope "${token.scopes.join(' ')}" cannot manage tokens; it needs global.`)
  }
  return undefined
}

/** Whether the token holds a live sudo grant (POST /sudo). */
export function hasSudo(token: TokenRecord, now: number): boolean {
  return token.sudoExpiresAt !== null && token.sudoExpiresAt > now && (token.sudoFrom ?? 0) <= now
}

/** Constant-time password check (both sides hashed first so lengths never differ). */
export function passwordMatches(user: SimUser, password: string): boolean {
  const expected = createHash('sha256').update(user.password).digest()
  const given = createHash('sha256').update(password).digest()
  return timingSafeEqual(expected, given)
}

/** `Authorization: Basic ...`, the spec's `username_and_password` scheme. */
export function basicCredentials(
  header: string | undefined
): { username: string; password: string } | undefined {
  const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null
  if (!match) return undefined
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon === -1) return undefined
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}
