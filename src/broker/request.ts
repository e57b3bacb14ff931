/**
 * The typed caller of the broker: trades a GitHub OIDC ID token for a short-lived Fastly token.
 * The action uses it and so can any other program; it goes through the project's http layer
 * (undici, plain http only to loopback) and never puts the ID token or the access token into an
 * error message.
 */
import { EnvHttpProxyAgent, type Dispatcher } from 'undici'
import { exchange, type ExchangeOutcome } from '../http/exchange.js'
import { readRetryAfterMs } from '../http/rate-limit.js'
import { redactSecrets } from '../http/redact.js'
import { backoffDelayMs, resolveRetryPolicy, type RetryPolicy } from '../http/retry-policy.js'
import { buildUserAgent } from '../http/user-agent.js'
import { logText } from '../text/log-text.js'
import { BrokerError } from './broker-error.js'
import { tokenEndpoint } from './broker-url.js'
import { readBrokerErrorBody, readBrokerToken, type BrokerToken } from './token-answer.js'

export { BrokerError } from './broker-error.js'
export type { BrokerErrorFields } from './broker-error.js'
export type { BrokerToken } from './token-answer.js'

export interface BrokerTokenRequest {
  /** The broker's base URL; the request goes to `<brokerUrl>/v1/token`. */
  brokerUrl: string
  /** The GitHub OIDC ID token (its `aud` must be the broker's audience). */
  idToken: string
  /** Space-delimited scopes, a subset of the matching policy's. Default: the policy's widest. */
  scope?: string
  /** Service ids, a subset of the policy's. Default: the policy's. */
  services?: string[]
  /** Lifetime in seconds. Default: the smaller of 1 h and the policy's maximum. */
  expiresIn?: number
  /** Epoch ms (on `retry.now`): no request or wait of this call ends after it. */
  deadline?: number
  signal?: AbortSignal
  /** Your product, put before `fastly-token-action/<version>` in the User-Agent. */
  userAgent?: string
  /** The undici dispatcher to send through (stays yours). Default: one EnvHttpProxyAgent per call. */
  dispatcher?: Dispatcher
  /** Per attempt, headers and body together (default 30 000 ms, and never past the deadline). */
  timeoutMs?: number
  /** Attempts, backoff, sleep and clock for the 429/503 retries (tests replace sleep and now). */
  retry?: Partial<RetryPolicy>
}

const DEFAULT_TIMEOUT_MS = 30_000
/** The broker's answers that promise nothing was minted and ask to come back later. */
const RETRYABLE_STATUSES = new Set([429, 503])
/** A broker message is outside text: shown on one line, and not at any length. */
const MESSAGE_LIMIT = 300

function checkRequest(req: BrokerTokenRequest): void {
  if (typeof req !== 'object' || req === null)
    throw new TypeError('requestBrokerToken needs an options object')
  if (typeof req.idToken !== 'string' || !/^[\x21-\x7e]+$/.test(req.idToken)) {
    throw new TypeError('idToken must be a non-empty JWT (printable ASCII, no spaces or line breaks)')
  }
  if (req.scope !== undefined && (typeof req.scope !== 'string' || req.scope.trim() === '')) {
    throw new TypeError('scope must be a non-empty space-delimited string of scopes')
  }
  if (
    req.services !== undefined &&
    (!Array.isArray(req.services) || !req.services.every(s => typeof s === 'string'))
  ) {
    throw new TypeError('services must be an array of service id strings')
  }
  if (
    req.expiresIn !== undefined &&
    (typeof req.expiresIn !== 'number' || !Number.isSafeInteger(req.expiresIn) || req.expiresIn <= 0)
  ) {
    throw new TypeError(`expiresIn must be a positive whole number of seconds, got ${String(req.expiresIn)}`)
  }
  if (req.deadline !== undefined && (typeof req.deadline !== 'number' || !Number.isFinite(req.deadline))) {
    throw new TypeError(`deadline must be a finite epoch time in milliseconds, got ${String(req.deadline)}`)
  }
  if (req.signal !== undefined && !(req.signal instanceof AbortSignal)) {
    throw new TypeError('signal must be an AbortSignal')
  }
  const timeout = req.timeoutMs
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0)) {
    throw new TypeError(`timeoutMs must be a positive number of milliseconds, got ${String(timeout)}`)
  }
}

function requestBody(req: BrokerTokenRequest): string {
  const body: Record<string, unknown> = {}
  if (req.scope !== undefined) body.scope = req.scope.trim().split(/\s+/).join(' ')
  if (req.services !== undefined) body.services = req.services
  if (req.expiresIn !== undefined) body.expires_in = req.expiresIn
  return JSON.stringify(body)
}

/** A broker message made safe to print: no secret, one line, bounded. */
function safeMessage(text: string, secrets: string[]): string {
  const clean = logText(redactSecrets(text, secrets))
  return clean.length > MESSAGE_LIMIT ? `${clean.slice(0, MESSAGE_LIMIT)}...` : clean
}

function attemptsNote(attempts: number): string {
  return attempts > 1 ? ` (after ${attempts} attempts)` : ''
}

/** The BrokerError for an answer that is not a 200. */
function refusal(
  outcome: Extract<ExchangeOutcome, { kind: 'answer' }>,
  secrets: string[],
  attempts: number,
  nowMs: number,
  note = ''
): BrokerError {
  const body = readBrokerErrorBody(outcome.body)
  const code = body.error === undefined ? undefined : safeMessage(body.error, secrets).slice(0, 64)
  const retryAfterMs = readRetryAfterMs(outcome.headers, nowMs)
  const said = body.message === undefined ? '' : `: ${safeMessage(body.message, secrets)}`
  // 502 and 504 mean the broker asked Fastly and lost the answer: a token may exist.
  const mayHaveTakenEffect =
    outcome.status === 502 || outcome.status === 504 || (outcome.status >= 200 && outcome.status < 300)
  return new BrokerError(
    `broker answered ${outcome.status}${code === undefined ? '' : ` ${code}`}${said}${attemptsNote(attempts)}${note}`,
    {
      status: outcome.status,
      ...(code === undefined ? {} : { code }),
      ...(retryAfterMs === undefined ? {} : { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) }),
      mayHaveTakenEffect,
      attempts
    }
  )
}

/**
 * POST /v1/token with the ID token as bearer. Retries the broker's 429 and 503 (which promise that
 * nothing was minted) within the deadline, waiting as `Retry-After` says; a connection that never
 * opened is tried again too. Anything lost after the request was sent is not repeated (a second
 * request could mint a second token) and comes back with `mayHaveTakenEffect: true`.
 */
export async function requestBrokerToken(req: BrokerTokenRequest): Promise<BrokerToken> {
  checkRequest(req)
  const url = tokenEndpoint(req.brokerUrl)
  const retry = resolveRetryPolicy(req.retry)
  const userAgent = buildUserAgent(req.userAgent)
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const secrets = [req.idToken]
  const body = requestBody(req)
  const headers = {
    Authorization: `Bearer ${req.idToken}`,
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'User-Agent': userAgent
  }
  const { deadline, signal } = req
  const dispatcher = req.dispatcher ?? new EnvHttpProxyAgent()
  const fits = (waitMs: number): boolean =>
    deadline === undefined ? waitMs <= retry.maxRateLimitWaitMs : retry.now() + waitMs < deadline

  try {
    for (let attempt = 1; ; attempt++) {
      const sent = attempt - 1
      if (signal?.aborted) {
        throw new BrokerError(`broker request aborted${attemptsNote(sent)}`, {
          code: 'aborted',
          mayHaveTakenEffect: false,
          attempts: sent
        })
      }
      const remaining = deadline === undefined ? Infinity : deadline - retry.now()
      if (remaining <= 0) {
        throw new BrokerError(`broker request passed its deadline${attemptsNote(sent)}`, {
          code: 'deadline',
          mayHaveTakenEffect: false,
          attempts: sent
        })
      }
      const attemptTimeout = Math.max(1, Math.floor(Math.min(timeoutMs, remaining)))
      const outcome = await exchange(dispatcher, {
        method: 'POST',
        url,
        headers,
        body,
        timeoutMs: attemptTimeout,
        signal
      })

      if (outcome.kind === 'aborted') {
        throw new BrokerError(
          'broker request aborted while in flight (the broker revokes a token it cannot deliver)',
          {
            code: 'aborted',
            mayHaveTakenEffect: true,
            attempts: attempt
          }
        )
      }
      if (outcome.kind === 'timeout') {
        throw new BrokerError(
          `broker did not answer within ${outcome.timeoutMs} ms; a token may have been minted (the broker revokes what it cannot deliver)`,
          { code: 'timeout', mayHaveTakenEffect: true, attempts: attempt }
        )
      }
      let waitMs: number
      let failure: BrokerError
      if (outcome.kind === 'network') {
        const lost = !outcome.failure.beforeSending
        failure = new BrokerError(
          `broker request failed: ${safeMessage(outcome.failure.description, secrets)}${attemptsNote(attempt)}` +
            (lost ? '; a token may have been minted (the broker revokes what it cannot deliver)' : ''),
          { code: outcome.failure.code, mayHaveTakenEffect: lost, attempts: attempt, cause: outcome.cause }
        )
        if (lost) throw failure
        waitMs = backoffDelayMs(retry, attempt)
      } else if (outcome.status === 200) {
        const token = readBrokerToken(outcome.body)
        if (token === undefined) {
          throw new BrokerError('broker answered 200 with a body that is not a token', {
            status: 200,
            code: 'invalid_response',
            mayHaveTakenEffect: true,
            attempts: attempt
          })
        }
        return token
      } else {
        failure = refusal(outcome, secrets, attempt, retry.now())
        if (!RETRYABLE_STATUSES.has(outcome.status)) throw failure
        waitMs = readRetryAfterMs(outcome.headers, retry.now()) ?? backoffDelayMs(retry, attempt)
      }

      if (attempt >= retry.maxAttempts) throw failure
      if (!fits(waitMs)) {
        throw new BrokerError(`${failure.message}; no retry: the wait would end after the deadline`, {
          status: failure.status,
          code: failure.code,
          retryAfterSeconds: failure.retryAfterSeconds,
          mayHaveTakenEffect: false,
          attempts: attempt
        })
      }
      try {
        await retry.sleep(waitMs, signal)
      } catch {
        // Aborted while waiting: reported at the top of the loop.
      }
    }
  } finally {
    if (req.dispatcher === undefined) await dispatcher.close()
  }
}
