import { describe, expect, it } from '@jest/globals'
import { FastlyApiError, RateLimitError } from '../../src/client/index.js'
import type { RetryPolicy } from '../../src/client/index.js'
import { json, type Script } from '../http/scripted-server.js'
import { failure, recordingSleep, useScriptedApi } from './harness.js'
import { recorded, replay } from './recorded.js'

const api = useScriptedApi()
const setUp = (script: Script, retry: Partial<RetryPolicy> = {}) => api.setUp(script, { retry })

const [getSelf] = recorded('get_self')
const [deleteOne] = recorded('delete')
const NOW = Date.UTC(2026, 0, 1, 12, 20, 0)
const RESET_SECONDS = Date.UTC(2026, 0, 1, 13, 0, 0) / 1000
const clock = () => NOW
const limited = (extra: Record<string, string> = {}) =>
  json(
    429,
    {
      msg: 'You have exceeded your hourly rate limit. Please contact support@fastly.com if you think this is a mistake.'
    },
    { 'Fastly-RateLimit-Remaining': '0', 'Fastly-RateLimit-Reset': String(RESET_SECONDS), ...extra }
  )

describe('retries of idempotent calls', () => {
  it('GET: retried after 5xx until it succeeds, with full-jitter backoff', async () => {
    const sleep = recordingSleep()
    const { server, client } = await setUp([json(503, { msg: 'busy' }), json(502, {}), replay(getSelf!)], {
      ...sleep,
      random: () => 0.5
    })
    const token = await client.getTokenCurrent()
    expect(token.name).toBe('TempTokenForGoFastlyTests')
    expect(server.requests).toHaveLength(3)
    // base 200: attempt 1 draws from [0, 200), attempt 2 from [0, 400); 0.5 of each.
    expect(sleep.waits).toEqual([100, 200])
  })

  it('the drawn delays follow the random source and never exceed the cap', async () => {
    const sleep = recordingSleep()
    const draws = [0.25, 0.75, 0.999, 0.999, 0.999]
    const { server, client } = await setUp(() => json(500, { msg: 'down' }), {
      ...sleep,
      random: () => draws.shift() ?? 0,
      maxAttempts: 6,
      baseDelayMs: 200,
      maxDelayMs: 500
    })
    const error = (await failure(client.listTokensUser())) as FastlyApiError
    expect(server.requests).toHaveLength(6)
    expect(error.attempts).toBe(6)
    expect(error.message).toContain('after 6 attempts')
    // ceilings: 200, 400, min(800, 500), 500, 500
    expect(sleep.waits).toEqual([50, 300, 499, 499, 499])
    for (const wait of sleep.waits) expect(wait).toBeLessThanOrEqual(500)
  })

  it('maxAttempts bounds the requests (default 4)', async () => {
    const sleep = recordingSleep()
    const { server, client } = await setUp(() => json(500, {}), sleep)
    const error = (await failure(client.getTokenCurrent())) as FastlyApiError
    expect(error.status).toBe(500)
    expect(server.requests).toHaveLength(4)
    expect(sleep.waits).toHaveLength(3)
  })

  it('DELETE: retried after a 5xx and after a dropped connection', async () => {
    const sleep = recordingSleep()
    const { server, client } = await setUp([json(500, {}), { drop: true }, replay(deleteOne!)], sleep)
    await client.revokeToken('abc123')
    expect(server.requests.map(r => `${r.method} ${r.url}`)).toEqual(Array(3).fill('DELETE /tokens/abc123'))
    expect(sleep.waits).toHaveLength(2)
  })

  it('GET: retried after a dropped connection', async () => {
    const { server, client } = await setUp([{ drop: true }, replay(getSelf!)])
    await client.getTokenCurrent()
    expect(server.requests).toHaveLength(2)
  })

  it('bulk DELETE: retried with the same body', async () => {
    const { server, client } = await setUp([json(503, {}), { status: 204 }])
    await client.bulkRevokeTokens(['a1', 'b2'])
    expect(server.requests).toHaveLength(2)
    expect(server.requests[1]?.body).toBe(server.requests[0]?.body)
  })

  it.each([400, 401, 403, 404, 422])('%i fails fast: no retry, no wait', async status => {
    const sleep = recordingSleep()
    const { server, client } = await setUp(() => json(status, { msg: 'no' }), sleep)
    const error = (await failure(client.revokeToken('abc123'))) as FastlyApiError
    expect(error.status).toBe(status)
    expect(error.attempts).toBe(1)
    expect(server.requests).toHaveLength(1)
    expect(sleep.waits).toEqual([])
  })

  it('a Retry-After on a 503 is the wait', async () => {
    const sleep = recordingSleep()
    const { server, client } = await setUp([json(503, {}, { 'Retry-After': '3' }), replay(getSelf!)], sleep)
    await client.getTokenCurrent()
    expect(sleep.waits).toEqual([3000])
    expect(server.requests).toHaveLength(2)
  })
})

describe('deadlines', () => {
  it('no retry whose wait would end after the deadline; the last failure says so', async () => {
    const sleep = recordingSleep()
    const { server, client } = await setUp(() => json(500, { msg: 'down' }), {
      ...sleep,
      now: clock,
      random: () => 0.5
    })
    const error = (await failure(client.getTokenCurrent({ deadline: NOW + 50 }))) as FastlyApiError
    expect(error.status).toBe(500)
    expect(error.message).toMatch(/after the caller's deadline/)
    expect(server.requests).toHaveLength(1)
    expect(sleep.waits).toEqual([])
  })

  it('a deadline already passed sends nothing', async () => {
    const { server, client } = await setUp([replay(getSelf!)], { now: clock })
    const error = (await failure(client.getTokenCurrent({ deadline: NOW - 1 }))) as FastlyApiError
    expect(error.code).toBe('deadline')
    expect(server.requests).toHaveLength(0)
  })

  it('a deadline that is not a number is refused', async () => {
    const { server, client } = await setUp([])
    const error = await failure(client.getTokenCurrent({ deadline: 'soon' as unknown as number }))
    expect(error.message).toMatch(/deadline must be a finite epoch time/)
    expect(server.requests).toHaveLength(0)
  })
})

describe('429: wait for the reset when the deadline allows, else RateLimitError', () => {
  it('waits exactly until Fastly-RateLimit-Reset, then repeats the DELETE', async () => {
    const sleep = recordingSleep()
    const { server, client } = await setUp([limited(), replay(deleteOne!)], { ...sleep, now: clock })
    await client.revokeToken('abc123', { deadline: NOW + 3_600_000 })
    expect(sleep.waits).toEqual([RESET_SECONDS * 1000 - NOW])
    expect(sleep.waits).toEqual([40 * 60 * 1000])
    expect(server.requests).toHaveLength(2)
    expect(client.rateLimit).toEqual({ remaining: 953, resetEpochSeconds: 1610625600 })
  })

  it('a reset after the deadline: RateLimitError naming the reset time, no wait', async () => {
    const sleep = recordingSleep()
    const { server, client } = await setUp([limited()], { ...sleep, now: clock })
    const deadline = NOW + 5 * 60 * 1000
    const error = (await failure(client.bulkRevokeTokens(['abc'], { deadline }))) as RateLimitError
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error.status).toBe(429)
    expect(error.resetAt.toISOString()).toBe('2026-01-01T13:00:00.000Z')
    expect(error.message).toContain('resets at 2026-01-01T13:00:00.000Z (in 40 min)')
    // Fastly's sentence keeps its own period, and only one: no "mistake.. The rate-limit window".
    expect(error.message).toContain('if you think this is a mistake. The rate-limit window resets at')
    expect(error.message).not.toContain('..')
    expect(error.apiMessage).toMatch(/mistake\.$/)
    expect(error.message).toContain("after the caller's deadline")
    expect(error.apiMessage).toMatch(/exceeded your hourly rate limit/)
    expect(error.rateLimit).toEqual({ remaining: 0, resetEpochSeconds: RESET_SECONDS })
    expect(client.rateLimit).toEqual({ remaining: 0, resetEpochSeconds: RESET_SECONDS })
    expect(server.requests).toHaveLength(1)
    expect(sleep.waits).toEqual([])
  })

  it('Retry-After wins over the reset header', async () => {
    const sleep = recordingSleep()
    const { server, client } = await setUp([limited({ 'Retry-After': '7' }), replay(deleteOne!)], {
      ...sleep,
      now: clock
    })
    await client.revokeTokenCurrent({ deadline: NOW + 60_000 })
    expect(sleep.waits).toEqual([7000])
    expect(server.requests).toHaveLength(2)
  })

  it('Retry-After as an HTTP date', async () => {
    const sleep = recordingSleep()
    const at = new Date(NOW + 12_000).toUTCString()
    const { client } = await setUp([limited({ 'Retry-After': at }), replay(deleteOne!)], {
      ...sleep,
      now: clock
    })
    await client.revokeTokenCurrent({ deadline: NOW + 60_000 })
    expect(sleep.waits).toEqual([12_000])
  })

  it('without a deadline the wait is bounded by retry.maxRateLimitWaitMs', async () => {
    const sleep = recordingSleep()
    const { server, client } = await setUp([limited()], { ...sleep, now: clock })
    const error = (await failure(client.revokeTokenCurrent())) as RateLimitError
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error.message).toMatch(/maxRateLimitWaitMs \(60000 ms\) and the call has no deadline/)
    expect(server.requests).toHaveLength(1)
  })

  it('a short wait without a deadline is taken', async () => {
    const sleep = recordingSleep()
    const { client } = await setUp([limited({ 'Retry-After': '2' }), replay(deleteOne!)], {
      ...sleep,
      now: clock
    })
    await client.revokeTokenCurrent()
    expect(sleep.waits).toEqual([2000])
  })

  it('a GET 429 is waited out too', async () => {
    const sleep = recordingSleep()
    const { client } = await setUp([limited({ 'Retry-After': '1' }), replay(getSelf!)], {
      ...sleep,
      now: clock
    })
    await client.getTokenCurrent()
    expect(sleep.waits).toEqual([1000])
  })

  it('when every attempt is rate limited, RateLimitError says the attempts ran out', async () => {
    const sleep = recordingSleep()
    const { server, client } = await setUp(() => limited({ 'Retry-After': '1' }), {
      ...sleep,
      now: clock,
      maxAttempts: 3
    })
    const error = (await failure(client.revokeTokenCurrent())) as RateLimitError
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error.message).toMatch(/all 3 attempts were used/)
    expect(server.requests).toHaveLength(3)
    expect(sleep.waits).toEqual([1000, 1000])
  })

  it('a 429 without any reset header assumes the next clock hour (the documented window)', async () => {
    const { client } = await setUp([json(429, { msg: 'slow down' })], { now: clock })
    const error = (await failure(client.revokeTokenCurrent({ deadline: NOW + 1000 }))) as RateLimitError
    expect(error.resetAt.toISOString()).toBe('2026-01-01T13:00:00.000Z')
  })
})

describe('abort', () => {
  it('an abort during a backoff wait ends the call without another request', async () => {
    const controller = new AbortController()
    const { server, client } = await setUp(() => json(500, {}), {
      sleep: async () => {
        controller.abort()
      }
    })
    const error = (await failure(client.getTokenCurrent({ signal: controller.signal }))) as FastlyApiError
    expect(error.code).toBe('aborted')
    expect(server.requests).toHaveLength(1)
  })

  it('an already aborted signal sends nothing', async () => {
    const { server, client } = await setUp([replay(getSelf!)])
    const error = (await failure(client.getTokenCurrent({ signal: AbortSignal.abort() }))) as FastlyApiError
    expect(error.code).toBe('aborted')
    expect(server.requests).toHaveLength(0)
  })
})
