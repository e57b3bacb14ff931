import type { TokenScope, TokenScopeName } from '../types.js'
import { encodePathId } from './path-id.js'

/** What `createToken` takes. Field names are the caller's; the form uses the API's. */
export interface CreateTokenInput {
  /** The user's email. Given: the form carries username and password and no API token is sent.
   *  Omitted: the client's API token is used with the sudo flow (POST /sudo, then POST /tokens). */
  username?: string
  /** The user's password (required either way: the sudo flow re-confirms it). */
  password: string
  /** The token's name, shown in the token list. */
  name?: string
  /** One or more scopes: `'purge_all global:read'` or `['purge_all', 'global:read']`. API default: global. */
  scope?: TokenScope | readonly (TokenScopeName | string)[]
  /** Service ids the token is limited to. */
  services?: readonly string[]
  /** When the token stops working: a Date or an ISO 8601 string with a time zone. */
  expiresAt?: Date | string
  /** A one-time password (e.g. from `totp()`), for accounts with two-factor authentication. */
  otp?: string
  /**
   * Instead of `otp`: the authenticator's base32 secret. The client computes the code itself and,
   * when the API refuses it (`2fa.verify`: RFC 6238 lets a verifier refuse a code already used in
   * its window, as a sibling job minting with the same secret would cause), tries once more with
   * the next window's code, within the call's deadline. Nothing was minted, so that is safe.
   */
  totpSecret?: string
  /** Told each code computed from `totpSecret` before it is sent (to mask it in a log, say). */
  onOneTimeCode?: (code: string) => void
}

/** The checked input, ready to send. */
export interface CreateTokenRequest {
  /** Form body for POST /tokens. */
  tokenForm: string
  /** Form body for POST /sudo (password, and username when given). */
  sudoForm: string
  otp?: string
}

function nonEmpty(argument: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${argument} must be a non-empty string`)
  return value
}

function normaliseScope(scope: unknown): string {
  const parts = Array.isArray(scope) ? scope : typeof scope === 'string' ? scope.split(/\s+/) : undefined
  if (parts === undefined) {
    throw new TypeError(
      'scope must be a space-delimited string such as "purge_all global:read", or an array of scopes'
    )
  }
  const names = parts.filter(p => p !== '')
  for (const name of names) {
    if (typeof name !== 'string' || !/^[A-Za-z0-9_:.-]+$/.test(name)) {
      throw new TypeError(
        `scope entry ${JSON.stringify(name)} is not a scope name (e.g. global, purge_select, purge_all, global:read)`
      )
    }
  }
  if (names.length === 0)
    throw new TypeError('scope is empty: give at least one scope, or omit it for the default (global)')
  return names.join(' ')
}

/**
 * `expires_at` in RFC 3339 UTC without fractional seconds (`2026-01-01T00:00:00Z`): the exact
 * format the API itself writes timestamps in, valid ISO 8601 as the docs ask, free of any offset
 * ambiguity, and without milliseconds, which no documented example carries (an API that answers
 * 422 to an unexpected date format should never see one). Fractions are dropped, so the token
 * expires up to a second early, never late.
 */
function formatExpiresAt(value: unknown): string {
  let date: Date
  if (value instanceof Date) {
    date = value
  } else if (typeof value === 'string') {
    const text = value.trim()
    if (/\d[T ]\d{2}:\d{2}/.test(text) && !/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(text)) {
      throw new TypeError(
        `expiresAt ${JSON.stringify(value)} has a time but no time zone: add Z or an offset such as +00:00`
      )
    }
    date = new Date(text)
  } else {
    throw new TypeError('expiresAt must be a Date or an ISO 8601 string such as 2026-01-01T00:00:00Z')
  }
  if (Number.isNaN(date.getTime())) {
    throw new TypeError(`expiresAt is not a valid date (expected e.g. 2026-01-01T00:00:00Z)`)
  }
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** A code from an authenticator, digits only; spaces ("123 456") are dropped. Never echoed. */
function normaliseOtp(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError('otp must be a string of digits')
  const digits = value.replace(/\s/g, '')
  if (!/^\d{6,10}$/.test(digits))
    throw new TypeError('otp must be the 6-digit code from the authenticator (digits only)')
  return digits
}

/**
 * Checks the input and encodes both forms. Fields go in go-fastly's (alphabetical) order, so the
 * body matches the recorded one; `services[]` repeats once per service, as go-fastly and
 * fastlyctl send it.
 */
export function buildCreateTokenRequest(input: CreateTokenInput): CreateTokenRequest {
  if (typeof input !== 'object' || input === null)
    throw new TypeError('createToken needs an input object with a password')
  const password = nonEmpty('password', input.password)
  const username = input.username === undefined ? undefined : nonEmpty('username', input.username)
  const name = input.name === undefined ? undefined : nonEmpty('name', input.name)
  const scope = input.scope === undefined ? undefined : normaliseScope(input.scope)
  let services: string[] | undefined
  if (input.services !== undefined) {
    if (!Array.isArray(input.services)) throw new TypeError('services must be an array of service id strings')
    services = input.services.map((id: unknown, i) => {
      encodePathId(`services[${i}]`, id, 'service')
      return id as string
    })
  }
  const expiresAt = input.expiresAt === undefined ? undefined : formatExpiresAt(input.expiresAt)
  const otp = input.otp === undefined ? undefined : normaliseOtp(input.otp)

  const form = new URLSearchParams()
  if (expiresAt !== undefined) form.append('expires_at', expiresAt)
  if (name !== undefined) form.append('name', name)
  form.append('password', password)
  if (scope !== undefined) form.append('scope', scope)
  for (const service of services ?? []) form.append('services[]', service)
  if (username !== undefined) form.append('username', username)

  const sudo = new URLSearchParams()
  sudo.append('password', password)
  if (username !== undefined) sudo.append('username', username)

  return { tokenForm: form.toString(), sudoForm: sudo.toString(), ...(otp === undefined ? {} : { otp }) }
}
