import { setTimeout as delay } from 'node:timers/promises'

/** How failed calls are repeated. Every field can be replaced, so tests never really wait. */
export interface RetryPolicy {
  /** Requests per call, the first included (default 4). 1 disables retries. */
  maxAttempts: number
  /** Backoff scale (default 200 ms): attempt n waits up to baseDelayMs * 2^(n-1). */
  baseDelayMs: number
  /** Backoff cap (default 5 000 ms). */
  maxDelayMs: number
  /**
   * Longest rate-limit (429) or Retry-After wait when the call has no deadline (default 60 000 ms).
   * With a deadline, the deadline alone decides.
   */
  maxRateLimitWaitMs: number
  /** Waits; rejects when the signal aborts. Default: a real timer. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  /** A number in [0, 1) for the jitter. Default Math.random. */
  random: () => number
  /** The clock deadlines and rate-limit resets are measured on (epoch ms). Default Date.now. */
  now: () => number
  /**
   * Told before each wait for another attempt, so a terminal can say "waiting for the API,
   * attempt 2/4" instead of staying silent while a server does not answer. Default: nothing.
   */
  onRetry: (info: RetryInfo) => void
}

export interface RetryInfo {
  method: string
  /** The request path (ids, never a secret). */
  path: string
  /** The attempt about to be made (2 for the first retry). */
  attempt: number
  maxAttempts: number
  waitMs: number
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRateLimitWaitMs: 60_000,
  sleep: (ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }),
  random: Math.random,
  now: Date.now,
  onRetry: () => {}
})

function check(name: string, value: number, min: number, integer: boolean): void {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    (integer && !Number.isInteger(value))
  ) {
    throw new TypeError(
      `retry.${name} must be ${integer ? 'an integer' : 'a finite number'} >= ${min}, got ${value}`
    )
  }
}

/** The caller's overrides on top of the defaults, checked before any request. */
export function resolveRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY }
  for (const key of Object.keys(DEFAULT_RETRY_POLICY) as (keyof RetryPolicy)[]) {
    const value = overrides[key]
    if (value !== undefined) (policy as unknown as Record<string, unknown>)[key] = value
  }
  check('maxAttempts', policy.maxAttempts, 1, true)
  check('baseDelayMs', policy.baseDelayMs, 0, false)
  check('maxDelayMs', policy.maxDelayMs, 0, false)
  check('maxRateLimitWaitMs', policy.maxRateLimitWaitMs, 0, false)
  for (const fn of ['sleep', 'random', 'now', 'onRetry'] as const) {
    if (typeof policy[fn] !== 'function') throw new TypeError(`retry.${fn} must be a function`)
  }
  return policy
}

/**
 * Capped exponential backoff with full jitter: a uniform draw from [0, min(cap, base * 2^(n-1))).
 * Full jitter spreads the retries of many runners that failed together (one Fastly incident hits
 * every CI job at once) instead of having them return in lockstep.
 */
export function backoffDelayMs(policy: RetryPolicy, failedAttempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1))
  const draw = policy.random()
  const unit = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0
  return Math.floor(unit * ceiling)
}
