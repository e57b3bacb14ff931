import type { RateLimitState } from '../types.js'

/** What an API failure carries besides its message. */
export interface FastlyApiErrorFields {
  /** HTTP status; undefined when no answer arrived (network failure, timeout, abort). */
  status?: number
  /** The API's own message: legacy `msg`, problem+json `title`, or JSON:API `errors[0].title`. */
  apiMessage?: string
  /** The API's `detail`, when it sent one. */
  detail?: string
  method: string
  /** The request path as sent (ids included); never carries a secret. */
  path: string
  /** The write budget the failing answer reported, if any. */
  rateLimit?: RateLimitState
  /** A machine-readable reason: the API's code (`2fa.verify`, `invalid_grant`), a socket code
   *  (`ECONNREFUSED`; `network_error` when there is none), or one of `timeout`, `aborted`,
   *  `deadline`, `redirect`, `rate_limited` (a 429 whose body named no code), `invalid_response`. */
  code?: string
  /** How many requests were sent for this call (more than 1 when retried). */
  attempts?: number
  /**
   * The answer's body was a Fastly error body (a JSON object with `msg`, `errors`, `title`,
   * `detail` or `code`). False for HTML, text, an empty body, a redirect, or a 2xx whose body was
   * not what the endpoint returns; undefined when no answer arrived.
   */
  fastlyShaped?: boolean
  cause?: unknown
}

/**
 * Every failure of a Fastly API call. The message is built only from redacted parts: callers may
 * log it, annotate a workflow with it, or put it in an exception report without leaking the API
 * token, a password, an OTP or an access token.
 */
export class FastlyApiError extends Error {
  override name = 'FastlyApiError'
  readonly status: number | undefined
  readonly apiMessage?: string
  readonly detail?: string
  readonly method: string
  readonly path: string
  readonly rateLimit?: RateLimitState
  readonly code?: string
  readonly attempts?: number
  readonly fastlyShaped?: boolean

  constructor(message: string, fields: FastlyApiErrorFields) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause })
    this.status = fields.status
    this.method = fields.method
    this.path = fields.path
    if (fields.apiMessage !== undefined) this.apiMessage = fields.apiMessage
    if (fields.detail !== undefined) this.detail = fields.detail
    if (fields.rateLimit !== undefined) this.rateLimit = fields.rateLimit
    if (fields.code !== undefined) this.code = fields.code
    if (fields.attempts !== undefined) this.attempts = fields.attempts
    if (fields.fastlyShaped !== undefined) this.fastlyShaped = fields.fastlyShaped
  }

  /** The fields again, so a subclass can be built from a general failure. */
  protected static fieldsOf(error: FastlyApiError): FastlyApiErrorFields {
    return {
      status: error.status,
      apiMessage: error.apiMessage,
      detail: error.detail,
      method: error.method,
      path: error.path,
      rateLimit: error.rateLimit,
      code: error.code,
      attempts: error.attempts,
      fastlyShaped: error.fastlyShaped,
      cause: error.cause
    }
  }
}

/** A 429 that was not waited out: the call may not be repeated (POST), the reset lies past the
 *  caller's deadline (or past retry.maxRateLimitWaitMs without one), or the attempts ran out.
 *  `resetAt` says when the write budget comes back. */
export class RateLimitError extends FastlyApiError {
  override name = 'RateLimitError'
  readonly resetAt: Date

  constructor(message: string, fields: FastlyApiErrorFields & { resetAt: Date }) {
    super(message, fields)
    this.resetAt = fields.resetAt
  }
}

/** A plain-http endpoint on a host that is not loopback: credentials would cross the network in
 *  clear text, so the client refuses to be built at all. */
export class InsecureEndpointError extends Error {
  override name = 'InsecureEndpointError'
  readonly host: string

  constructor(host: string, source: string) {
    super(
      `${source} uses plain http:// for ${host}, which is not a loopback host: Fastly credentials would travel ` +
        'in clear text. Use https://, or http:// only with 127.0.0.0/8, ::1 or localhost (e.g. a local simulator).'
    )
    this.host = host
  }
}
