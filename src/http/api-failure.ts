import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http'
import type { RateLimitState } from '../types.js'
import { errorBodyShape, parseErrorBody } from './error-body.js'
import { FastlyApiError, RateLimitError } from './errors.js'
import type { NetworkFailure } from './network-failure.js'
import { redactSecrets } from './redact.js'

/** The request an error is about, and the secrets its text must never show. */
export interface FailedRequest {
  method: string
  path: string
  secrets: readonly (string | undefined)[]
}

function subject(req: FailedRequest): string {
  return `Fastly API ${req.method} ${req.path}`
}

function tail(attempts: number, note: string | undefined): string {
  const parts: string[] = []
  if (attempts > 1) parts.push(`after ${attempts} attempts`)
  if (note !== undefined) parts.push(note)
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`
}

function firstHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

/**
 * Where a redirect pointed, as an origin only: a Location's path or query could carry anything.
 * The host could too, lower-cased by the URL parser, so the one spelling redaction looks for may
 * no longer match: an origin that holds a secret in any case is not shown at all.
 */
function redirectTarget(headers: IncomingHttpHeaders, secrets: FailedRequest['secrets']): string {
  const location = firstHeader(headers, 'location')
  if (location === undefined) return 'no Location'
  let url: URL
  try {
    url = new URL(location, 'http://relative.invalid')
  } catch {
    return 'an unparseable Location'
  }
  if (url.host === 'relative.invalid') return 'a path on the same host'
  const origin = url.origin.toLowerCase()
  const echoes = secrets.some(s => s !== undefined && s !== '' && origin.includes(s.toLowerCase()))
  return echoes ? 'another host' : url.origin
}

/** `fastlyShaped` only when known (see errorBodyShape). */
export function shapeField(shape: boolean | undefined): { fastlyShaped?: boolean } {
  return shape === undefined ? {} : { fastlyShaped: shape }
}

/** An HTTP answer outside 2xx, as an error whose every part is redacted. */
export function httpFailure(
  req: FailedRequest,
  answer: { status: number; headers: IncomingHttpHeaders; body: string },
  rateLimit: RateLimitState | undefined,
  attempts: number,
  note?: string
): FastlyApiError {
  // Redacted before parsing as well as after: the parsed excerpt squeezes blanks and is cut at 500
  // characters, and a squeezed or cut secret no longer matches any spelling redaction looks for.
  const parsed = parseErrorBody(redactSecrets(answer.body, req.secrets))
  const apiMessage =
    parsed.apiMessage === undefined ? undefined : redactSecrets(parsed.apiMessage, req.secrets)
  const detail = parsed.detail === undefined ? undefined : redactSecrets(parsed.detail, req.secrets)
  const code = parsed.code === undefined ? undefined : redactSecrets(parsed.code, req.secrets)
  const status = `${answer.status} ${STATUS_CODES[answer.status] ?? ''}`.trim()

  let said = apiMessage ?? (code === undefined ? '' : `code ${code}`)
  if (detail !== undefined) said = said === '' ? detail : `${said} (${detail})`
  let message = `${subject(req)} answered ${status}${said === '' ? '' : `: ${said}`}`
  let failureCode = code
  if (answer.status >= 300 && answer.status < 400) {
    message += `; redirect to ${redirectTarget(answer.headers, req.secrets)} not followed, so credentials stay with the configured endpoint`
    failureCode ??= 'redirect'
  }
  return new FastlyApiError(message + tail(attempts, note), {
    status: answer.status,
    apiMessage,
    detail,
    method: req.method,
    path: req.path,
    rateLimit,
    code: failureCode,
    attempts,
    // A redirect is never the API's answer, whatever its body says.
    ...shapeField(answer.status >= 300 && answer.status < 400 ? false : errorBodyShape(answer.body))
  })
}

function describeWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000)
  if (seconds < 120) return `${seconds} s`
  const minutes = Math.ceil(seconds / 60)
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`
}

/** A 429 not waited out, saying when the write budget returns and why the client did not wait. */
export function rateLimitFailure(
  req: FailedRequest,
  answer: { status: number; headers: IncomingHttpHeaders; body: string },
  rateLimit: RateLimitState | undefined,
  attempts: number,
  resetAt: Date,
  nowMs: number,
  why: string
): RateLimitError {
  const base = httpFailure(req, answer, rateLimit, attempts)
  // Fastly's message ends in a period of its own ("... if you think this is a mistake."): one is enough.
  const said = base.apiMessage === undefined ? '' : `: ${base.apiMessage.replace(/\.+$/, '')}`
  const message =
    `${subject(req)} was rate limited (429)${said}. The rate-limit window resets at ${resetAt.toISOString()} ` +
    `(in ${describeWait(Math.max(0, resetAt.getTime() - nowMs))}); not waited: ${why}` +
    tail(attempts, undefined)
  return new RateLimitError(message, {
    status: base.status,
    apiMessage: base.apiMessage,
    detail: base.detail,
    method: req.method,
    path: req.path,
    rateLimit,
    code: base.code ?? 'rate_limited',
    attempts,
    ...shapeField(base.fastlyShaped),
    resetAt
  })
}

export function networkFailure(
  req: FailedRequest,
  failure: NetworkFailure,
  cause: unknown,
  attempts: number,
  note?: string
): FastlyApiError {
  const description = redactSecrets(failure.description, req.secrets)
  return new FastlyApiError(
    `${subject(req)} failed: ${description} [${failure.code}]${tail(attempts, note)}`,
    {
      method: req.method,
      path: req.path,
      code: failure.code,
      attempts,
      cause
    }
  )
}

export function timeoutFailure(
  req: FailedRequest,
  timeoutMs: number,
  attempts: number,
  note?: string
): FastlyApiError {
  return new FastlyApiError(`${subject(req)} timed out after ${timeoutMs} ms${tail(attempts, note)}`, {
    method: req.method,
    path: req.path,
    code: 'timeout',
    attempts
  })
}

export function abortedFailure(req: FailedRequest, attempts: number): FastlyApiError {
  return new FastlyApiError(`${subject(req)} was aborted by the caller${tail(attempts, undefined)}`, {
    method: req.method,
    path: req.path,
    code: 'aborted',
    attempts
  })
}

export function deadlineFailure(req: FailedRequest, attempts: number): FastlyApiError {
  return new FastlyApiError(
    `${subject(req)} was not sent: the caller's deadline has passed${tail(attempts, undefined)}`,
    {
      method: req.method,
      path: req.path,
      code: 'deadline',
      attempts
    }
  )
}
