import type { Dispatcher } from 'undici'
import type { IncomingHttpHeaders } from 'node:http'
import type { RateLimitState } from '../types.js'
import {
  abortedFailure,
  deadlineFailure,
  httpFailure,
  networkFailure,
  rateLimitFailure,
  timeoutFailure
} from './api-failure.js'
import type { ApiEndpoint } from './endpoint.js'
import { FastlyApiError } from './errors.js'
import { exchange } from './exchange.js'
import { rateLimitResetAt, readRateLimit, readRetryAfterMs } from './rate-limit.js'
import { backoffDelayMs, type RetryPolicy } from './retry-policy.js'

/** Per-call controls every client method accepts. */
export interface CallOptions {
  /** Aborts the call, including any wait between attempts. */
  signal?: AbortSignal
  /** Epoch ms (on the retry policy's clock): no request, wait or retry of this call ends after it. */
  deadline?: number
  /**
   * Stops the call gently: once aborted, no further request of it is sent and no wait goes on, but
   * a request already in flight runs to its answer (which `signal` would cut off). For a graceful
   * cancellation: a POST /tokens that is on its way may mint, and then its answer must arrive.
   * Unlike `waitSignal`, it also keeps the first request from being sent.
   */
  stop?: AbortSignal
  /**
   * Aborts the waits between attempts (a backoff, a rate-limit reset) but never a request in
   * flight: for writes whose answer must be heard even when the caller is stopping.
   */
  waitSignal?: AbortSignal
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'DELETE'
  /** Path below the endpoint, ids already percent-encoded. */
  path: string
  headers?: Record<string, string>
  body?: string
  /**
   * May the request be sent again after it possibly reached the server? True for GET and DELETE
   * (reading twice is harmless, revoking twice revokes once). False for POST: a second POST
   * /tokens would mint a second token, so it is repeated only when the connection was never made.
   */
  idempotent: boolean
  /** Everything that must not appear in an error: API token, password, OTP. */
  secrets: readonly (string | undefined)[]
  /** Told the write budget of every non-GET answer, failures included. */
  onRateLimit?: (state: RateLimitState) => void
}

export interface ApiAnswer {
  status: number
  headers: IncomingHttpHeaders
  body: string
  rateLimit?: RateLimitState
  attempts: number
}

export interface TransportSettings {
  endpoint: ApiEndpoint
  dispatcher: Dispatcher
  userAgent: string
  timeoutMs: number
  retry: RetryPolicy
  /** Told what was clamped or ignored in an answer's headers (see rate-limit.ts). */
  note?: (line: string) => void
}

/** What to do after a failed attempt. */
interface Verdict {
  repeatable: boolean
  /** Wait before the next attempt, when repeatable. */
  waitMs: number
  /** The wait was named by the server (Retry-After), not drawn from the backoff. */
  serverDirected: boolean
  /** Why a failure that was not retryable in principle was not, for the message. */
  whyNot?: string
  build: (note?: string) => FastlyApiError
}

function checkCallOptions(call: CallOptions): void {
  if (call.deadline !== undefined && (typeof call.deadline !== 'number' || !Number.isFinite(call.deadline))) {
    throw new TypeError(`deadline must be a finite epoch time in milliseconds, got ${String(call.deadline)}`)
  }
  if (call.signal !== undefined && !(call.signal instanceof AbortSignal)) {
    throw new TypeError('signal must be an AbortSignal')
  }
  if (call.stop !== undefined && !(call.stop instanceof AbortSignal)) {
    throw new TypeError('stop must be an AbortSignal')
  }
  if (call.waitSignal !== undefined && !(call.waitSignal instanceof AbortSignal)) {
    throw new TypeError('waitSignal must be an AbortSignal')
  }
}

/**
 * The one path every API call takes: headers, timeout, retries, rate-limit waits and error
 * building all live here, so every endpoint behaves the same.
 */
export class ApiTransport {
  constructor(private readonly settings: TransportSettings) {}

  async request(req: ApiRequest, call: CallOptions = {}): Promise<ApiAnswer> {
    checkCallOptions(call)
    const { retry, timeoutMs, endpoint, dispatcher, userAgent } = this.settings
    const noteHeader = (line: string) => this.settings.note?.(`${req.method} ${req.path}: ${line}`)
    const { deadline, signal, stop } = call
    // Waits end on `stop` too; a request in flight only on `signal`.
    const waitOn = call.waitSignal ?? signal
    const waitSignal =
      stop === undefined ? waitOn : waitOn === undefined ? stop : AbortSignal.any([waitOn, stop])
    const url = endpoint.origin + endpoint.pathPrefix + req.path
    const headers: Record<string, string> = {
      'User-Agent': userAgent,
      Accept: 'application/json',
      ...req.headers
    }

    const fitsDeadline = (waitMs: number): boolean =>
      deadline === undefined || retry.now() + waitMs < deadline
    // A wait the server asks for may be long (until the hourly window resets): without a deadline
    // the client bounds it itself rather than stalling a job for up to an hour.
    const serverWaitAllowed = (waitMs: number): boolean =>
      deadline === undefined ? waitMs <= retry.maxRateLimitWaitMs : fitsDeadline(waitMs)

    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted || stop?.aborted || (attempt > 1 && call.waitSignal?.aborted))
        throw abortedFailure(req, attempt - 1)
      const remaining = deadline === undefined ? Infinity : deadline - retry.now()
      if (remaining <= 0) throw deadlineFailure(req, attempt - 1)

      const attemptTimeout = Math.max(1, Math.floor(Math.min(timeoutMs, remaining)))
      const outcome = await exchange(dispatcher, {
        method: req.method,
        url,
        headers,
        body: req.body,
        timeoutMs: attemptTimeout,
        signal
      })

      let verdict: Verdict
      if (outcome.kind === 'aborted') {
        throw abortedFailure(req, attempt)
      } else if (outcome.kind === 'timeout') {
        verdict = {
          repeatable: req.idempotent,
          waitMs: backoffDelayMs(retry, attempt),
          serverDirected: false,
          whyNot: req.idempotent
            ? undefined
            : `${req.method} is not repeated once it may have reached the server`,
          build: note => timeoutFailure(req, outcome.timeoutMs, attempt, note)
        }
      } else if (outcome.kind === 'network') {
        const repeatable = req.idempotent || outcome.failure.beforeSending
        verdict = {
          repeatable,
          waitMs: backoffDelayMs(retry, attempt),
          serverDirected: false,
          whyNot: repeatable
            ? undefined
            : `${req.method} is not repeated once it may have reached the server`,
          build: note => networkFailure(req, outcome.failure, outcome.cause, attempt, note)
        }
      } else {
        const rateLimit = readRateLimit(outcome.headers, retry.now(), noteHeader)
        if (rateLimit !== undefined && req.method !== 'GET') req.onRateLimit?.(rateLimit)
        if (outcome.status >= 200 && outcome.status < 300) {
          return {
            status: outcome.status,
            headers: outcome.headers,
            body: outcome.body,
            rateLimit,
            attempts: attempt
          }
        }

        if (outcome.status === 429) {
          const now = retry.now()
          const resetAt = rateLimitResetAt(outcome.headers, now, noteHeader)
          const untilReset = resetAt.getTime() - now
          const waitMs = untilReset > 0 ? untilReset : backoffDelayMs(retry, attempt)
          let why: string | undefined
          if (!req.idempotent) why = `${req.method} ${req.path} is never repeated automatically`
          else if (attempt >= retry.maxAttempts) why = `all ${retry.maxAttempts} attempts were used`
          else if (!serverWaitAllowed(waitMs)) {
            why =
              deadline === undefined
                ? `the wait exceeds retry.maxRateLimitWaitMs (${retry.maxRateLimitWaitMs} ms) and the call has no deadline`
                : `the reset is after the caller's deadline (${new Date(deadline).toISOString()})`
          }
          if (why !== undefined) {
            throw rateLimitFailure(req, outcome, rateLimit, attempt, resetAt, now, why)
          }
          await this.pause(waitMs, waitSignal, req, attempt)
          continue
        }

        const serverError = outcome.status >= 500
        const retryAfter = serverError
          ? readRetryAfterMs(outcome.headers, retry.now(), noteHeader)
          : undefined
        verdict = {
          repeatable: serverError && req.idempotent,
          waitMs: retryAfter ?? backoffDelayMs(retry, attempt),
          serverDirected: retryAfter !== undefined,
          whyNot:
            serverError && !req.idempotent
              ? `${req.method} is not repeated once it may have reached the server`
              : undefined,
          build: note => httpFailure(req, outcome, rateLimit, attempt, note)
        }
      }

      if (!verdict.repeatable) throw verdict.build(verdict.whyNot)
      if (attempt >= retry.maxAttempts) throw verdict.build()
      const allowed = verdict.serverDirected
        ? serverWaitAllowed(verdict.waitMs)
        : fitsDeadline(verdict.waitMs)
      if (!allowed) {
        throw verdict.build(
          deadline === undefined
            ? `no retry: Retry-After exceeds retry.maxRateLimitWaitMs`
            : `no retry: the next attempt would end after the caller's deadline`
        )
      }
      await this.pause(verdict.waitMs, waitSignal, req, attempt)
    }
  }

  private async pause(
    ms: number,
    signal: AbortSignal | undefined,
    req: ApiRequest,
    attempt: number
  ): Promise<void> {
    const { retry } = this.settings
    retry.onRetry({
      method: req.method,
      path: req.path,
      attempt: attempt + 1,
      maxAttempts: retry.maxAttempts,
      waitMs: ms
    })
    try {
      await this.settings.retry.sleep(ms, signal)
    } catch (error) {
      if (signal?.aborted) throw abortedFailure(req, attempt)
      throw error
    }
    if (signal?.aborted) throw abortedFailure(req, attempt)
  }
}
