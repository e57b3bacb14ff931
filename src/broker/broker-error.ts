/** Every failure of a call to the broker. Its message never holds the ID token or an access token. */
export interface BrokerErrorFields {
  /** The broker's HTTP status; undefined when no answer arrived. */
  status?: number
  /** The broker's `error` field (`policy_scope`, `rate_limited`...), or one of `timeout`,
   *  `aborted`, `deadline`, `network_error` (or a socket code), `invalid_response`. */
  code?: string
  /** The wait the broker named in `Retry-After`, on a 429 or 503. */
  retryAfterSeconds?: number
  /**
   * True when the request was sent and its answer was lost (timeout, a dropped connection, an
   * unreadable 200, or a 502/504 from the broker, which means Fastly may have minted): the caller
   * cannot know whether a token exists. The broker revokes what it minted but could not deliver;
   * a token Fastly minted whose answer never reached the broker expires at its own expires_at.
   */
  mayHaveTakenEffect: boolean
  /** Requests sent for this call. */
  attempts: number
  cause?: unknown
}

export class BrokerError extends Error {
  override name = 'BrokerError'
  readonly status?: number
  readonly code?: string
  readonly retryAfterSeconds?: number
  readonly mayHaveTakenEffect: boolean
  readonly attempts: number

  constructor(message: string, fields: BrokerErrorFields) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause })
    if (fields.status !== undefined) this.status = fields.status
    if (fields.code !== undefined) this.code = fields.code
    if (fields.retryAfterSeconds !== undefined) this.retryAfterSeconds = fields.retryAfterSeconds
    this.mayHaveTakenEffect = fields.mayHaveTakenEffect
    this.attempts = fields.attempts
  }
}
