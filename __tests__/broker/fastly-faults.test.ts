/**
 * Faults on Fastly during a mint, injected into the simulator: the caller gets the status that
 * says whether a token may exist, and no token the broker received is left alive when the caller
 * could not receive it. A fresh world per case, since a 429 leaves the broker's budget spent.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { createConnection } from 'node:net'
import { requestBrokerToken, startBroker } from '../../src/broker/index.js'
import { DEMO_BROKER_ENV } from '../support/broker-process.js'
import type { FaultRule } from '../../src/simulator/index.js'
import { freePort } from '../http/scripted-server.js'
import { BrokerWorld, testPolicies, waitFor } from './world.js'

let world: BrokerWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

async function withFault(rule: FaultRule, extra: Record<string, unknown> = {}): Promise<BrokerWorld> {
  world = await BrokerWorld.start(extra)
  world.sim.state.faults.push({ route: 'POST /tokens', ...rule })
  return world
}

const revokes = (w: BrokerWorld) =>
  w.sim.state.requests().filter(r => r.method === 'DELETE' && r.path === '/tokens/self')

describe('Fastly fails during the mint', () => {
  it.each([
    ['a 503 before acting', { kind: 'status5xx', status: 503 }],
    ['a 500 before acting', { kind: 'status5xx', status: 500 }],
    ['a dropped connection before acting', { kind: 'drop' }]
  ] as [string, FaultRule][])(
    '%s: 502 fastly_error, no token, the ID token stays spent',
    async (_n, rule) => {
      const w = await withFault(rule)
      const idToken = await w.issuer.idToken()
      const answer = await w.post(`Bearer ${idToken}`)
      expect(answer.status).toBe(502)
      expect(answer.json.error).toBe('fastly_error')
      expect(w.liveTokens()).toHaveLength(0)
      // The broker cannot know that nothing was minted, so it does not let the token mint again.
      expect((await w.post(`Bearer ${idToken}`)).json.error).toBe('token_replayed')
      expect(w.mintRequests()).toHaveLength(1)
    }
  )

  it('a 5xx after Fastly minted: 502, and the token it never saw dies at its bounded expiry', async () => {
    const w = await withFault({ kind: 'status5xx', status: 503, phase: 'after' })
    const answer = await w.mint({}, { expires_in: 600 })
    expect(answer.status).toBe(502)
    const [orphan] = w.liveTokens()
    expect(w.liveTokens()).toHaveLength(1)
    expect(Date.parse(orphan?.expires_at as string) - Date.now()).toBeLessThanOrEqual(600_000)
    expect(orphan?.name).toMatch(/^gha\/acme\/shop\/run-/)
  })

  it('a 429 from Fastly: 429 with Retry-After, no token, and the broker stops asking until the reset', async () => {
    const w = await withFault({ kind: 'rateLimit', times: 1 })
    const idToken = await w.issuer.idToken()
    const first = await w.post(`Bearer ${idToken}`)
    expect(first.status).toBe(429)
    expect(first.json.error).toBe('fastly_rate_limited')
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThan(0)
    // Same ID token again: not a replay (nothing was minted), and not sent to Fastly either.
    const again = await w.post(`Bearer ${idToken}`)
    expect(again.status).toBe(429)
    expect(again.json.error).toBe('fastly_budget')
    expect(w.mintRequests()).toHaveLength(1)
    expect(w.liveTokens()).toHaveLength(0)
  })

  it('Fastly slower than the request time: 504 to the caller, and the late token is revoked', async () => {
    const w = await withFault({ kind: 'latency', ms: 1500 }, { limits: { 'request-timeout': '1s' } })
    const answer = await w.mint()
    expect(answer.status).toBe(504)
    expect(answer.json.error).toBe('fastly_timeout')
    await waitFor(() => w.broker.metrics.undelivered.get('revoked') === 1, 'the late token to be revoked')
    expect(w.mintRequests()).toHaveLength(1)
    expect(w.liveTokens()).toHaveLength(0)
    expect(revokes(w)).toHaveLength(1)
    const last = JSON.parse(w.audit.at(-1) as string) as Record<string, unknown>
    expect(last).toMatchObject({ decision: 'allow', reason: 'undelivered', undelivered: 'revoked' })
  })

  it('Fastly unreachable: 503 with Retry-After, which requestBrokerToken retries with the same ID token', async () => {
    const port = await freePort()
    world = await BrokerWorld.start()
    const w = world
    const broker = await startBroker({
      config: {
        issuer: w.issuer.url,
        fastly: { 'api-url': `http://127.0.0.1:${port}` },
        policies: testPolicies()
      },
      env: DEMO_BROKER_ENV,
      audit: () => {}
    })
    try {
      const idToken = await w.issuer.idToken()
      const error = await requestBrokerToken({
        brokerUrl: broker.url,
        idToken,
        retry: { maxAttempts: 2, sleep: async () => {} }
      }).catch((e: unknown) => e)
      expect(error).toMatchObject({
        status: 503,
        code: 'fastly_unavailable',
        mayHaveTakenEffect: false,
        attempts: 2
      })
    } finally {
      await broker.close()
    }
  })

  it('the caller goes away during the mint: the token is revoked with itself', async () => {
    const w = await withFault({ kind: 'latency', ms: 600, times: 1 })
    const idToken = await w.issuer.idToken()
    const url = new URL(w.broker.url)
    const socket = createConnection({ host: url.hostname, port: Number(url.port) })
    const body = '{}'
    socket.write(
      `POST /v1/token HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${idToken}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`
    )
    await waitFor(() => w.broker.metrics.inFlight === 1, 'the broker to take the request')
    socket.destroy()
    await waitFor(
      () => w.broker.metrics.undelivered.get('revoked') === 1,
      'the undelivered token to be revoked'
    )
    expect(w.mintRequests()).toHaveLength(1)
    expect(w.liveTokens()).toHaveLength(0)
    expect(revokes(w)).toHaveLength(1)
    expect(w.broker.metrics.mints.size).toBe(0)
  })
})
