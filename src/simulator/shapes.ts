import type { CreatedToken, Token } from '../types.js'
import type { TokenRecord } from './model.js'
import { formatApiTime } from './timestamps.js'

/**
 * JSON bodies with the fields, key order and nullability of the recorded answers. Key order
 * follows object literal order, which is why these are spelled out field by field.
 */

function time(epochMs: number | null): string | null {
  return epochMs === null ? null : formatApiTime(epochMs)
}

/** The legacy single service: the last of `services`, null when the token is unrestricted. */
function serviceId(token: TokenRecord): string | null {
  return token.services.length > 0 ? token.services[token.services.length - 1]! : null
}

/** GET /tokens/self, GET /tokens/{id} and both lists. */
export function tokenBody(token: TokenRecord): Token {
  return {
    id: token.id,
    user_id: token.userId,
    customer_id: token.customerId,
    name: token.name,
    last_used_at: time(token.lastUsedAt),
    created_at: formatApiTime(token.createdAt),
    expires_at: time(token.expiresAt),
    ip: token.ip,
    user_agent: token.userAgent,
    sudo_expires_at: time(token.sudoExpiresAt),
    scopes: [...token.scopes],
    scope: token.scopes.join(' '),
    services: [...token.services],
    service_id: serviceId(token)
  }
}

/** An unset date of an automation-token record: an empty string, not null, as recorded. */
function flatTime(epochMs: number | null): string {
  return epochMs === null ? '' : formatApiTime(epochMs)
}

/**
 * An automation token as go-fastly's 2025 recordings show it: flat (no `attributes` wrapper),
 * unset dates as empty strings. `withSecret` for the POST answer only.
 */
export function automationTokenBody(token: TokenRecord, withSecret = false): Record<string, unknown> {
  return {
    id: token.id,
    services: [...token.services],
    name: token.name,
    role: token.automation?.role ?? 'engineer',
    ...(withSecret ? { access_token: token.accessToken } : {}),
    scope: token.scopes.join(' '),
    scopes: token.scopes.join(' '),
    ip: token.ip ?? '',
    created_at: formatApiTime(token.createdAt),
    last_used_at: flatTime(token.lastUsedAt),
    expires_at: flatTime(token.expiresAt),
    sudo_expires_at: flatTime(token.sudoExpiresAt),
    user_agent: token.userAgent ?? '',
    tls_access: token.automation?.tlsAccess ?? false,
    customer_id: token.customerId,
    creator_id: token.userId
  }
}

/** POST /tokens: the only answer that carries `access_token`. */
export function createdTokenBody(token: TokenRecord): CreatedToken {
  return {
    id: token.id,
    name: token.name,
    user_id: token.userId,
    customer_id: token.customerId,
    service_id: serviceId(token),
    expires_at: time(token.expiresAt),
    created_at: formatApiTime(token.createdAt),
    updated_at: formatApiTime(token.updatedAt),
    scope: token.scopes.join(' '),
    services: [...token.services],
    access_token: token.accessToken
  }
}
