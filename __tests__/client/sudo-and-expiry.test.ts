/**
 * Reference §5.1 against the simulator: a sudo grant that takes a while to take effect (POST
 * /tokens answers 403 "You must POST /sudo ...", retried within the deadline, nothing minted by
 * the refusals), and an expired token's 401 "Token <id> expired at <time>" read as expired.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  expiredTokenOf,
  FastlyApiError,
  FastlyTokensClient,
  isSudoNotYetInEffect,
  SUDO_RETRY_DELAYS_MS
} from '../../src/client/index.js'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { runChild } from '../cli/harness.js'

const START = Date.UTC(2030, 0, 15, 12, 0, 5)
let sim: Simulator | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function world(sudoDelayMs: number) {
  sim = await startSimulator({ seed: 3, sudoDelayMs })
  sim.state.clock.set(START)
  const caller = sim.state.addToken({ user: 'demo@example.com', scope: 'global' })
  const waits: number[] = []
  const s = sim
  const client = new FastlyTokensClient({
    baseUrl: s.url,
    apiToken: caller.access_token,
    env: {},
    // The client's waits move the simulator's clock: the grant comes into effect without sleeping.
    retry: {
      now: () => s.state.clock.now(),
      sleep: async ms => {
        waits.push(ms)
        s.state.clock.advance(ms)
      }
    }
  })
  return { client, waits, sim: s }
}

const mint = { password: 'demo-password', name: 'after-sudo', scope: 'global:read' } as const

describe('a sudo grant that takes a while', () => {
  it('is waited for: the refusals are retried and one token is minted', async () => {
    const { client, waits, sim } = await world(6_000)
    const created = await client.createToken(mint)
    expect(created.name).toBe('after-sudo')
    expect(waits).toEqual([2_000, 5_000])
    const posts = sim.state.requests().filter(r => r.method === 'POST' && r.path === '/tokens')
    expect(posts.map(r => r.status)).toEqual([403, 403, 200])
    expect(sim.state.tokens().filter(t => t.name === 'after-sudo')).toHaveLength(1)
    await client.close()
  })

  it('gives up with the API refusal when the deadline or the attempts run out', async () => {
    const { client, waits, sim } = await world(60 * 60_000)
    const error = await client.createToken(mint).catch((e: unknown) => e)
    expect(isSudoNotYetInEffect(error)).toBe(true)
    expect(waits).toEqual([...SUDO_RETRY_DELAYS_MS])
    const early = await client
      .createToken(mint, { deadline: sim.state.clock.now() + 3_000 })
      .catch((e: unknown) => e)
    expect(isSudoNotYetInEffect(early)).toBe(true)
    expect(waits).toHaveLength(SUDO_RETRY_DELAYS_MS.length + 1)
    expect(sim.state.tokens().some(t => t.name === 'after-sudo')).toBe(false)
    await client.close()
  })

  it('other 403s are not retried', () => {
    const other = new FastlyApiError('x', {
      status: 403,
      apiMessage: 'You are not authorized',
      method: 'POST',
      path: '/tokens'
    })
    expect(isSudoNotYetInEffect(other)).toBe(false)
  })
})

describe('an expired token', () => {
  it('is classified from the API words, and the CLI says "expired"', async () => {
    sim = await startSimulator({ seed: 4 })
    const t = sim.state.addToken({
      user: 'demo@example.com',
      expiresAt: new Date(Date.now() - 60_000).toISOString()
    })
    const client = new FastlyTokensClient({ baseUrl: sim.url, apiToken: t.access_token, env: {} })
    const error = await client.getTokenCurrent().catch((e: unknown) => e)
    expect(expiredTokenOf(error)).toEqual({ tokenId: t.id, expiredAt: expect.stringMatching(/^\d{4}-/) })
    await client.close()
    const r = await runChild(['list'], {
      env: { FASTLY_API_TOKEN: t.access_token, FASTLY_API_ENDPOINT: sim.url }
    })
    expect(r.code).toBe(3)
    expect(r.stderr).toContain(`error: expired: the API token ${t.id} expired at`)
    expect(
      expiredTokenOf(
        new FastlyApiError('x', {
          status: 401,
          apiMessage: 'Provided credentials are missing or invalid',
          method: 'GET',
          path: '/tokens'
        })
      )
    ).toBeUndefined()
  })
})
