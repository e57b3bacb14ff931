/**
 * The shapes of the Fastly Tokens API, as the real API sends them (field names kept as the API
 * spells them, the way fastly-js and Octokit do). These type definitions are the only thing the
 * client and the simulator share: each implements the API on its own, so that a misreading in
 * one cannot hide in the other.
 */

/** One authorization scope. The API also accepts and returns several, space-delimited. */
export type TokenScopeName = 'global' | 'purge_select' | 'purge_all' | 'global:read'

/**
 * The `scope` field: a space-delimited combination such as `"purge_all global:read"`, not a
 * single enum value (the official spec's enum is too strict; see fastly-py#94).
 */
export type TokenScope = string

/** RFC 3339 UTC timestamp as the API writes it: `2021-11-02T18:46:13Z`, no fraction. */
export type ApiTimestamp = string

/** A token as `GET /tokens/self`, `GET /tokens/{id}` and the two list endpoints return it. */
export interface Token {
  /** 22-character (sometimes 21) base62 id. */
  id: string
  user_id: string
  /** Returned by the API although the official model omits it. */
  customer_id: string
  name: string
  scope: TokenScope
  /** The same scopes as an array (returned by the API, not in the official model). */
  scopes?: string[]
  /** Service ids the token is limited to; `[]` means every service of the account. */
  services: string[]
  /** Legacy single service: the last of `services`, or null when unrestricted. */
  service_id?: string | null
  created_at: ApiTimestamp
  /** `null` when the token never expires. */
  expires_at: ApiTimestamp | null
  /** `null` when the token was never used. */
  last_used_at?: ApiTimestamp | null
  ip?: string | null
  user_agent?: string | null
  sudo_expires_at?: ApiTimestamp | null
  updated_at?: ApiTimestamp
  deleted_at?: ApiTimestamp | null
  /** Set by the audit on records it merged in: 'automation' for automation tokens (absent: a user's). */
  type?: 'user' | 'automation'
}

/** The answer to `POST /tokens`: the only place the secret `access_token` ever appears. */
export interface CreatedToken {
  id: string
  user_id: string
  customer_id: string
  name: string
  scope: TokenScope
  services: string[]
  service_id: string | null
  created_at: ApiTimestamp
  updated_at: ApiTimestamp
  expires_at: ApiTimestamp | null
  /** 32 characters of the URL-safe base64 alphabet (may contain `-` and `_`). */
  access_token: string
}

/** The answer to `POST /sudo`. Note the `+00:00` offset the API uses here. */
export interface SudoGrant {
  expiry_time: string
}

/** The JSON:API bulk body of `DELETE /tokens`. */
export interface BulkRevokeBody {
  data: Array<{ type: 'token'; id: string }>
}

/** The write budget the API reports on every non-GET answer. */
export interface RateLimitState {
  /** `Fastly-RateLimit-Remaining`: writes left in the current window. */
  remaining: number
  /** `Fastly-RateLimit-Reset`: when the window resets, UTC epoch seconds. */
  resetEpochSeconds: number
}

/** Content type of the bulk revoke request (JSON:API bulk extension). */
export const BULK_CONTENT_TYPE = 'application/vnd.api+json; ext=bulk'

/** Production endpoint. */
export const DEFAULT_API_URL = 'https://api.fastly.com'

/**
 * An automation token (not tied to a person), as GET/POST /automation-tokens answer: a flat record
 * whose unset dates are empty strings, not null (go-fastly's 2025 recordings; reference §5.3).
 */
export interface AutomationToken {
  id: string
  name: string
  role?: string
  /** Space-separated scopes. */
  scope?: string
  scopes?: string
  services: string[]
  customer_id: string
  creator_id?: string
  created_at: string
  /** '' when never used. */
  last_used_at: string
  /** '' when it never expires. */
  expires_at: string
  ip?: string
  user_agent?: string
  tls_access?: boolean
  sudo_expires_at?: string
}

export interface CreateAutomationTokenInput {
  /** The password of the superuser whose token the client holds: POST /sudo comes first. */
  password: string
  name: string
  role: 'billing' | 'engineer' | 'user'
  scope?: string
  services?: string[]
  tlsAccess?: boolean
  expiresAt?: Date
}
