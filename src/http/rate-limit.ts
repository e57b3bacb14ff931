import type { IncomingHttpHeaders } from 'node:http'
import type { RateLimitState } from '../types.js'

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

function nonNegativeInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*\d+\s*$/.test(text)) return undefined
  const n = Number(text)
  return Number.isSafeInteger(n) ? n : undefined
}

/**
 * `Fastly-RateLimit-Remaining` and `Fastly-RateLimit-Reset` (epoch seconds). Both must be
 * well-formed integers: a half-read budget would be worse than none, since callers plan their
 * writes with it.
 */
export function readRateLimit(headers: IncomingHttpHeaders): RateLimitState | undefined {
  const remaining = nonNegativeInteger(header(headers, 'fastly-ratelimit-remaining'))
  const reset = nonNegativeInteger(header(headers, 'fastly-ratelimit-reset'))
  if (remaining === undefined || reset === undefined) return undefined
  return { remaining, resetEpochSeconds: reset }
}

/**
 * `Retry-After` as milliseconds from `nowMs`: delay-seconds or an HTTP-date (RFC 9110 10.2.3).
 * Fastly does not document it, but proxies and future API versions may send it, and a server's
 * own word on when to come back beats any guess.
 */
export function readRetryAfterMs(headers: IncomingHttpHeaders, nowMs: number): number | undefined {
  const value = header(headers, 'retry-after')?.trim()
  if (value === undefined || value === '') return undefined
  const seconds = nonNegativeInteger(value)
  if (seconds !== undefined) return seconds * 1000
  const at = Date.parse(value)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - nowMs)
}

/**
 * When a 429's window ends: `Retry-After` if present, else `Fastly-RateLimit-Reset`, else the
 * next full clock hour (Fastly's write window is a fixed clock hour: recorded resets fall on the
 * hour).
 */
export function rateLimitResetAt(headers: IncomingHttpHeaders, nowMs: number): Date {
  const retryAfter = readRetryAfterMs(headers, nowMs)
  if (retryAfter !== undefined) return new Date(nowMs + retryAfter)
  const state = readRateLimit(headers)
  if (state !== undefined) return new Date(state.resetEpochSeconds * 1000)
  const hour = 3_600_000
  return new Date(Math.floor(nowMs / hour) * hour + hour)
}
