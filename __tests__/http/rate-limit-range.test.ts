/**
 * Rate-limit headers out of range (issue 10 §4): whatever a server or proxy sends, reading them
 * never yields a date that cannot be printed, and every correction is told to the note hook.
 * A property over arbitrary header text, plus the examples the issue names, and the client's
 * debug hook end to end over loopback.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  MAX_RESET_AHEAD_MS,
  MAX_RETRY_AFTER_MS,
  rateLimitResetAt,
  readRateLimit,
  readRetryAfterMs
} from '../../src/http/rate-limit.js'
import { RateLimitError } from '../../src/client/index.js'
import { failure, useScriptedApi } from '../client/harness.js'

const NOW = Date.UTC(2026, 0, 1, 12, 34, 56)

/** Header text as a hostile server might send it: numbers of every size and sign, dates, junk. */
const headerText = fc.oneof(
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.integer().map(String),
  fc.double().map(String),
  fc.date({ noInvalidDate: false }).map(d => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toUTCString())),
  fc.string(),
  fc.constantFrom(
    '-5',
    '1e400',
    'NaN',
    'Infinity',
    ' 42 ',
    '99999999999999999999',
    'Fri, 31 Dec 9999 23:59:59 GMT'
  )
)

describe('out-of-range rate-limit headers', () => {
  it('property: the reset is always a printable date, no more than a day ahead, and nothing throws', () => {
    fc.assert(
      fc.property(
        fc.option(headerText),
        fc.option(headerText),
        fc.option(headerText),
        (remaining, reset, retryAfter) => {
          const headers = {
            ...(remaining === null ? {} : { 'fastly-ratelimit-remaining': remaining }),
            ...(reset === null ? {} : { 'fastly-ratelimit-reset': reset }),
            ...(retryAfter === null ? {} : { 'retry-after': retryAfter })
          }
          const notes: string[] = []
          const at = rateLimitResetAt(headers, NOW, line => notes.push(line))
          expect(() => at.toISOString()).not.toThrow()
          expect(at.getTime() - NOW).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS)
          const state = readRateLimit(headers, NOW, line => notes.push(line))
          if (state !== undefined) {
            expect(Number.isSafeInteger(state.remaining) && state.remaining >= 0).toBe(true)
            expect(() => new Date(state.resetEpochSeconds * 1000).toISOString()).not.toThrow()
            expect(state.resetEpochSeconds * 1000).toBeLessThanOrEqual(NOW + MAX_RESET_AHEAD_MS)
          }
          // A note is one short line: it goes to a debug log.
          for (const line of notes) {
            expect(line).not.toMatch(/[\r\n]/)
            expect(line.length).toBeLessThan(200)
          }
        }
      ),
      { numRuns: 2000 }
    )
  })

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a reset far in the future is clamped to an hour ahead',
      { 'fastly-ratelimit-remaining': '3', 'fastly-ratelimit-reset': '99999999999999' },
      /Fastly-RateLimit-Reset "99999999999999" is more than an hour ahead; read as 2026-01-01T13:39:56/
    ],
    [
      'a negative reset is ignored',
      { 'fastly-ratelimit-remaining': '3', 'fastly-ratelimit-reset': '-1700000000' },
      /rate-limit headers ignored: Fastly-RateLimit-Reset "-1700000000" is not a non-negative integer/
    ],
    [
      'a reset that is not a number is ignored',
      { 'fastly-ratelimit-remaining': '3', 'fastly-ratelimit-reset': 'soon' },
      /Fastly-RateLimit-Reset "soon"/
    ],
    [
      'a remaining that is not a number is ignored',
      { 'fastly-ratelimit-remaining': 'lots', 'fastly-ratelimit-reset': '1767272400' },
      /Fastly-RateLimit-Remaining "lots"/
    ],
    [
      'one header without the other is ignored',
      { 'fastly-ratelimit-reset': '1767272400' },
      /Fastly-RateLimit-Remaining missing/
    ]
  ])('%s, and a note says so', (_label, headers, note) => {
    const notes: string[] = []
    readRateLimit(headers, NOW, line => notes.push(line))
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatch(note)
  })

  it('no headers at all (a 2025 recording of a write has none) is no note: that is normal', () => {
    const notes: string[] = []
    expect(readRateLimit({}, NOW, line => notes.push(line))).toBeUndefined()
    expect(notes).toEqual([])
  })

  it.each<[string, string, number | undefined, RegExp]>([
    [
      'a Retry-After of 10^20 seconds is read as a day',
      '100000000000000000000',
      MAX_RETRY_AFTER_MS,
      /more than a day/
    ],
    [
      'a Retry-After date in year 9999 is read as a day',
      'Fri, 31 Dec 9999 23:59:59 GMT',
      MAX_RETRY_AFTER_MS,
      /more than a day/
    ],
    ['a negative Retry-After is ignored', '-5', undefined, /neither seconds nor an HTTP date/]
  ])('%s', (_label, value, expected, note) => {
    const notes: string[] = []
    expect(readRetryAfterMs({ 'retry-after': value }, NOW, line => notes.push(line))).toBe(expected)
    expect(notes).toEqual([expect.stringMatching(note)])
  })
})

const { setUp } = useScriptedApi()

describe('the client with odd rate-limit headers (over loopback)', () => {
  it('a 429 whose reset is 10^14 s ahead fails as a RateLimitError with a printable reset, and the debug hook hears of it', async () => {
    const debug: string[] = []
    const { client } = await setUp(
      [
        {
          status: 429,
          headers: { 'fastly-ratelimit-remaining': '0', 'fastly-ratelimit-reset': '99999999999999' },
          body: '{"msg":"You have exceeded your hourly rate limit."}'
        }
      ],
      { debug: line => debug.push(line) }
    )
    const error = await failure(client.revokeToken('tokenIdAAAAAAAAAAAAAAA', { deadline: Date.now() + 1000 }))
    expect(error).toBeInstanceOf(RateLimitError)
    expect(() => (error as RateLimitError).resetAt.toISOString()).not.toThrow()
    expect(error.message).toMatch(/resets at \d{4}-/)
    expect(debug).toEqual([
      expect.stringMatching(
        /^DELETE \/tokens\/tokenIdAAAAAAAAAAAAAAA: Fastly-RateLimit-Reset "99999999999999" is more than an hour ahead/
      )
    ])
  })

  it('a good answer with a garbage budget still succeeds, and the budget is unknown rather than wrong', async () => {
    const debug: string[] = []
    const { client } = await setUp(
      [{ status: 204, headers: { 'fastly-ratelimit-remaining': '-3', 'fastly-ratelimit-reset': 'x' } }],
      { debug: line => debug.push(line) }
    )
    await client.revokeTokenCurrent()
    expect(client.rateLimit).toBeUndefined()
    expect(debug).toHaveLength(1)
  })
})
