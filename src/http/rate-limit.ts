/**
 * The rate-limit headers of an answer, read so that no value a server (or a proxy in front of it)
 * sends can break a caller: out-of-range numbers are clamped or ignored here, never passed on to
 * become `Invalid time value` in a later `toISOString()`, and each correction is told to `note`
 * (the client's debug hook) so nothing is changed silently.
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { RateLimitState } from '../types.js'

/** Told what was clamped or ignored, one line each. */
export type HeaderNote = (line: string) => void

/** Fastly's write window is a clock hour: a reset further ahead than that (and some skew) is wrong. */
export const MAX_RESET_AHEAD_MS = 3_600_000 + 5 * 60_000
/** The longest Retry-After taken at its word; longer is read as this (still past any deadline). */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000

const ignore: HeaderNote = () => {}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

function nonNegativeInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*\d+\s*$/.test(text)) return undefined
  const n = Number(text)
  return Number.isSafeInteger(n) ? n : undefined
}

/** A header value for a debug line: short, and without anything that could break the line. */
function shown(text: string): string {
  const cut = text.length > 40 ? `${text.slice(0, 40)}…` : text
  return JSON.stringify(cut)
}

/**
 * `Fastly-RateLimit-Remaining` and `Fastly-RateLimit-Reset` (epoch seconds). Both must be
 * well-formed integers: a half-read budget would be worse than none, since callers plan their
 * writes with it. Either may be missing (a 2025 recording of a write carries neither): undefined.
 * A reset more than an hour (plus skew) after `nowMs` is clamped to that bound.
 */
export function readRateLimit(
  headers: IncomingHttpHeaders,
  nowMs: number = Date.now(),
  note: HeaderNote = ignore
): RateLimitState | undefined {
  const remainingText = header(headers, 'fastly-ratelimit-remaining')
  const resetText = header(headers, 'fastly-ratelimit-reset')
  if (remainingText === undefined && resetText === undefined) return undefined
  const remaining = nonNegativeInteger(remainingText)
  const reset = nonNegativeInteger(resetText)
  if (remaining === undefined || reset === undefined) {
    const bad =
      remaining === undefined
        ? `Fastly-RateLimit-Remaining ${remainingText === undefined ? 'missing' : shown(remainingText)}`
        : `Fastly-RateLimit-Reset ${resetText === undefined ? 'missing' : shown(resetText)}`
    note(`rate-limit headers ignored: ${bad} is not a non-negative integer`)
    return undefined
  }
  const latest = Math.floor((nowMs + MAX_RESET_AHEAD_MS) / 1000)
  if (reset > latest) {
    note(
      `Fastly-RateLimit-Reset ${shown(resetText!)} is more than an hour ahead; read as ${new Date(latest * 1000).toISOString()}`
    )
    return { remaining, resetEpochSeconds: latest }
  }
  return { remaining, resetEpochSeconds: reset }
}

/** An HTTP-date (RFC 9110 5.6.7) names its weekday or month: a bare number such as `-5` is not one. */
const LOOKS_LIKE_DATE = /[A-Za-z]{3}/

/**
 * `Retry-After` as milliseconds from `nowMs`: delay-seconds or an HTTP-date (RFC 9110 10.2.3).
 * Fastly does not document it, but proxies and future API versions may send it, and a server's
 * own word on when to come back beats any guess. Past dates are 0; more than a day is a day.
 */
export function readRetryAfterMs(
  headers: IncomingHttpHeaders,
  nowMs: number,
  note: HeaderNote = ignore
): number | undefined {
  const value = header(headers, 'retry-after')?.trim()
  if (value === undefined || value === '') return undefined
  let ms: number
  const seconds = nonNegativeInteger(value)
  if (seconds !== undefined) ms = seconds * 1000
  else if (/^\d+$/.test(value))
    ms = Infinity // too many digits to be a safe integer
  else {
    const at = LOOKS_LIKE_DATE.test(value) ? Date.parse(value) : NaN
    if (Number.isNaN(at)) {
      note(`Retry-After ${shown(value)} ignored: neither seconds nor an HTTP date`)
      return undefined
    }
    ms = Math.max(0, at - nowMs)
  }
  if (ms > MAX_RETRY_AFTER_MS) {
    note(`Retry-After ${shown(value)} is more than a day; read as 24 h`)
    return MAX_RETRY_AFTER_MS
  }
  return ms
}

/**
 * When a 429's window ends: `Retry-After` if present, else `Fastly-RateLimit-Reset`, else the
 * next full clock hour (Fastly's write window is a fixed clock hour: recorded resets fall on the
 * hour). Always a valid date, whatever the headers said.
 */
export function rateLimitResetAt(
  headers: IncomingHttpHeaders,
  nowMs: number,
  note: HeaderNote = ignore
): Date {
  const retryAfter = readRetryAfterMs(headers, nowMs, note)
  if (retryAfter !== undefined) return new Date(nowMs + retryAfter)
  const state = readRateLimit(headers, nowMs)
  if (state !== undefined) return new Date(state.resetEpochSeconds * 1000)
  const hour = 3_600_000
  return new Date(Math.floor(nowMs / hour) * hour + hour)
}
