import { describe, expect, it } from '@jest/globals'
import { rateLimitResetAt, readRateLimit, readRetryAfterMs } from '../../src/http/rate-limit.js'

describe('rate-limit headers', () => {
  it('reads Fastly-RateLimit-Remaining and -Reset (lower-cased as undici gives them)', () => {
    expect(
      readRateLimit({ 'fastly-ratelimit-remaining': '4990', 'fastly-ratelimit-reset': '1635879600' })
    ).toEqual({
      remaining: 4990,
      resetEpochSeconds: 1635879600
    })
  })

  it('needs both, as integers', () => {
    expect(readRateLimit({})).toBeUndefined()
    expect(readRateLimit({ 'fastly-ratelimit-remaining': '10' })).toBeUndefined()
    expect(
      readRateLimit({ 'fastly-ratelimit-remaining': 'ten', 'fastly-ratelimit-reset': '1' })
    ).toBeUndefined()
    expect(
      readRateLimit({ 'fastly-ratelimit-remaining': '-1', 'fastly-ratelimit-reset': '1' })
    ).toBeUndefined()
    expect(
      readRateLimit({ 'fastly-ratelimit-remaining': '1.5', 'fastly-ratelimit-reset': '1' })
    ).toBeUndefined()
  })

  it('Retry-After in seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1)
    expect(readRetryAfterMs({ 'retry-after': '120' }, now)).toBe(120_000)
    expect(readRetryAfterMs({ 'retry-after': new Date(now + 5000).toUTCString() }, now)).toBe(5000)
    expect(readRetryAfterMs({ 'retry-after': new Date(now - 5000).toUTCString() }, now)).toBe(0)
    expect(readRetryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined()
    expect(readRetryAfterMs({}, now)).toBeUndefined()
  })

  it('a 429 resets at Retry-After, else at Fastly-RateLimit-Reset, else at the next clock hour', () => {
    const now = Date.UTC(2026, 0, 1, 12, 34, 56)
    const reset = String(Date.UTC(2026, 0, 1, 13) / 1000)
    expect(
      rateLimitResetAt(
        { 'retry-after': '10', 'fastly-ratelimit-remaining': '0', 'fastly-ratelimit-reset': reset },
        now
      ).getTime()
    ).toBe(now + 10_000)
    expect(
      rateLimitResetAt(
        { 'fastly-ratelimit-remaining': '0', 'fastly-ratelimit-reset': reset },
        now
      ).toISOString()
    ).toBe('2026-01-01T13:00:00.000Z')
    expect(rateLimitResetAt({}, now).toISOString()).toBe('2026-01-01T13:00:00.000Z')
  })
})
