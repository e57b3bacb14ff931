/**
 * Never "gone" without proof (issue 11 §1): an endpoint that is not the Fastly API stops every
 * path before any write, and an answer that is not the API's never settles an id or a value.
 */
import { describe, it, expect, afterEach } from '@jest/globals'
import { FastlyTokensClient } from '../../src/client/index.js'
import { EndpointProofError, revokeMany, revokeValues } from '../../src/revoke/index.js'
import { IMPOSTOR_ANSWERS, startImpostor, type Impostor } from './impostor.js'
import { DEMO, startWorld, type World } from './world.js'

let world: World | undefined
let impostor: Impostor | undefined
const clients: FastlyTokensClient[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close()
  await impostor?.close()
  await world?.close()
  world = undefined
  impostor = undefined
})

function clientAt(url: string, apiToken?: string): FastlyTokensClient {
  const c = new FastlyTokensClient({
    baseUrl: url,
    env: {},
    ...(apiToken ? { apiToken } : {}),
    retry: { maxAttempts: 2, baseDelayMs: 0, sleep: async () => {} }
  })
  clients.push(c)
  return c
}

const alive = (w: World, id: string): boolean => w.sim.state.token(id) !== undefined

const ID = 'a'.repeat(22)
const VALUES = ['QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7J', 'X-srxc_zLpchro9ngNBVgyofN_jqQFJ2']

describe('an endpoint that is not the Fastly API', () => {
  for (const kind of IMPOSTOR_ANSWERS) {
    it(`(${kind} to everything) stops ids and values, with and without an admin token, before any write`, async () => {
      impostor = await startImpostor(kind)
      const admin = clientAt(impostor.url, 'responder-token-000000000000000')
      const base = clientAt(impostor.url)
      const runs: [string, () => Promise<unknown>][] = [
        ['ids', () => revokeMany(admin, [ID, 'b'.repeat(22)])],
        ['values with an admin token', () => revokeValues(base, VALUES, { admin })],
        ['values on their own', () => revokeValues(base, VALUES)]
      ]
      for (const [, run] of runs) {
        const error = await run().then(
          () => undefined,
          (e: unknown) => e
        )
        expect(error).toBeInstanceOf(EndpointProofError)
        const proof = error as EndpointProofError
        expect(proof.proof).toBe('not-the-api')
        expect(proof.message).toContain('does not answer as the Fastly API')
        expect(proof.message).not.toMatch(/[\r\n]/)
        for (const v of VALUES) expect(proof.message).not.toContain(v)
      }
      expect(impostor.seen.filter(r => !r.startsWith('GET '))).toEqual([])
    })
  }
})

describe('a proxy that breaks some routes only', () => {
  it('an HTML 404 to the lookups and the writes never makes an id not-found or revoked', async () => {
    world = await startWorld()
    const w = world
    const own = w.sim.state.addTokens(3, { user: DEMO }).map(t => t.id)
    impostor = await startImpostor('html-404', {
      url: w.sim.url,
      intercept: (method, path) =>
        (method === 'GET' && /^\/tokens\/(?!self)/.test(path)) || (method === 'DELETE' && path === '/tokens')
    })
    const responder = w.sim.state.addToken({ user: DEMO, name: 'responder-2', scope: 'global' })
    const admin = clientAt(impostor.url, responder.access_token)
    const unknown = ['bogus000000000000000001', 'bogus000000000000000002']
    const report = await revokeMany(admin, [...own, ...unknown])
    // Every id has an outcome, and none claims what the HTML pages could not prove.
    expect(report.outcomes).toHaveLength(5)
    for (const o of report.outcomes) expect(o.outcome).toBe('failed')
    for (const id of own) expect(alive(w, id)).toBe(true)
  })

  it('an HTML 404 to DELETE /tokens/self never makes a value gone: failed, and the run stops with one line', async () => {
    world = await startWorld()
    const w = world
    const live = w.sim.state.addTokens(3, { user: DEMO })
    impostor = await startImpostor('html-404', {
      url: w.sim.url,
      intercept: (method, path) => method === 'DELETE' && path === '/tokens/self'
    })
    const report = await revokeValues(
      clientAt(impostor.url),
      live.map(t => t.access_token),
      { concurrency: 1 }
    )
    expect(report.outcomes.map(o => o.outcome)).toEqual(['failed', 'failed', 'failed'])
    expect(report.stoppedBy).toContain('does not answer as the Fastly API')
    // One write reached the proxy; the rest were not sent once the first answer was not the API's.
    expect(impostor.seen.filter(r => r.startsWith('DELETE'))).toHaveLength(1)
    for (const t of live) expect(alive(w, t.id)).toBe(true)
    const text = JSON.stringify(report)
    for (const t of live) expect(text).not.toContain(t.access_token)
  })
})

describe('"gone" needs the API’s 401/404 and a value of token shape', () => {
  it('a token-shaped unknown value is already gone; a mangled one is malformed, never gone', async () => {
    world = await startWorld()
    const w = world
    const live = w.sim.state.addToken({ user: DEMO, name: 'live' })
    const report = await revokeValues(w.client, [
      'QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7J',
      live.access_token.slice(0, 31),
      `${live.access_token}x`,
      `"${live.access_token}",`
    ])
    expect(report.outcomes.map(o => o.outcome)).toEqual(['already-gone', 'malformed', 'malformed', 'revoked'])
    expect(report.outcomes[1]!.reason).toContain('not of token shape')
    expect(alive(w, live.id)).toBe(false)
  })
})

describe('a refused admin token', () => {
  it('stops a values run at the proof, before any value is read', async () => {
    world = await startWorld()
    const w = world
    const leaked = w.sim.state.addToken({ user: DEMO })
    w.sim.state.revokeToken(w.callerId)
    await expect(revokeValues(w.client, [leaked.access_token], { admin: w.client })).rejects.toMatchObject({
      name: 'EndpointProofError',
      proof: 'caller-refused'
    })
    expect(w.sim.state.requests().filter(r => r.tokenId === leaked.id)).toEqual([])
    expect(alive(w, leaked.id)).toBe(true)
  })
})
