import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { backoffDelayMs, DEFAULT_RETRY_POLICY, resolveRetryPolicy } from '../../src/http/retry-policy.js'

describe('retry policy', () => {
  it('defaults: 4 attempts, 200 ms base, 5 s cap', () => {
    const policy = resolveRetryPolicy()
    expect(policy).toMatchObject({
      maxAttempts: 4,
      baseDelayMs: 200,
      maxDelayMs: 5000,
      maxRateLimitWaitMs: 60_000
    })
  })

  it('overrides replace defaults, undefined keeps them, unknown keys are ignored', () => {
    const policy = resolveRetryPolicy({ maxAttempts: 2, baseDelayMs: undefined, ...{ bogus: 1 } })
    expect(policy.maxAttempts).toBe(2)
    expect(policy.baseDelayMs).toBe(200)
    expect('bogus' in policy).toBe(false)
  })

  it('full jitter: every delay lies in [0, min(cap, base * 2^(n-1))]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 60_000 }),
        (attempt, draw, baseDelayMs, maxDelayMs) => {
          const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs, maxDelayMs, random: () => draw }
          const delay = backoffDelayMs(policy, attempt)
          expect(delay).toBeGreaterThanOrEqual(0)
          expect(delay).toBeLessThanOrEqual(Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)))
        }
      )
    )
  })

  it('the ceiling doubles per attempt until the cap', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, random: () => 0.999999 }
    expect([1, 2, 3, 4, 5, 6, 7].map(n => backoffDelayMs(policy, n))).toEqual([
      199, 399, 799, 1599, 3199, 4999, 4999
    ])
  })

  it('a misbehaving random source cannot push a delay outside the range', () => {
    expect(backoffDelayMs({ ...DEFAULT_RETRY_POLICY, random: () => 7 }, 1)).toBe(200)
    expect(backoffDelayMs({ ...DEFAULT_RETRY_POLICY, random: () => -1 }, 1)).toBe(0)
    expect(backoffDelayMs({ ...DEFAULT_RETRY_POLICY, random: () => Number.NaN }, 1)).toBe(0)
  })

  it('the default sleep really waits and can be aborted', async () => {
    await expect(DEFAULT_RETRY_POLICY.sleep(1)).resolves.toBeUndefined()
    await expect(DEFAULT_RETRY_POLICY.sleep(60_000, AbortSignal.abort())).rejects.toThrow()
  })
})
