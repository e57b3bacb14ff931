/** Fastly-Key resolution and who may read what: 401s, 403s, 404s and the use record. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Simulator } from '../../src/simulator/index.js'
import { DEMO_CUSTOMER_ID, MESSAGES, startSimulator } from '../../src/simulator/index.js'
import { call, fixedClock, START_MS } from './helpers.js'

const USERS = [
  { email: 'ann@example.com', password: 'ann-pw', id: 'annUser000000000000001' },
  { email: 'bob@example.com', password: 'bob-pw', id: 'bobUser000000000000001' },
  {
    email: 'root@example.com',
    password: 'root-pw',
    role: 'superuser' as const,
    id: 'rootUser00000000000001'
  },
  {
    email: 'eve@example.com',
    password: 'eve-pw',
    customerId: 'otherCustomer000000001',
    role: 'superuser' as const
  }
]

describe('authentication', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ users: USERS, clock: fixedClock() })
  })
  afterAll(() => sim.close())

  it('answers 401 with the legacy body for a missing, unknown or revoked key', async () => {
    const token = sim.state.addToken({ user: 'ann@example.com' })
    expect(sim.state.revokeToken(token.id)).toBe(true)
    for (const key of [undefined, '', 'no-such-token-000000000000000000', token.access_token]) {
      const reply = await call(sim, 'GET', '/tokens/self', key === undefined ? {} : { key })
      expect(reply.status).toBe(401)
      expect(reply.headers['content-type']).toBe('application/json')
      const body = reply.json() as { msg: string; detail: string }
      expect(body.msg).toBe(MESSAGES.unauthorized)
      expect(typeof body.detail).toBe('string')
      if (key) expect(reply.text).not.toContain(key)
    }
  })

  it('a token stops working (401) the moment the clock passes its expiry, and is still listed', async () => {
    const expiring = sim.state.addToken({
      user: 'bob@example.com',
      expiresAt: START_MS + 60_000,
      name: 'short'
    })
    const other = sim.state.addToken({ user: 'bob@example.com', name: 'long' })
    expect((await call(sim, 'GET', '/tokens/self', { key: expiring.access_token })).status).toBe(200)
    sim.state.clock.advance(60_000)
    try {
      const reply = await call(sim, 'GET', '/tokens/self', { key: expiring.access_token })
      expect(reply.status).toBe(401)
      // The real API's words (reference §5.1), which the client classifies as expired.
      expect((reply.json() as { msg: string }).msg).toBe(
        `Token ${expiring.id} expired at 2021-11-02T18:47:13Z`
      )
      const list = (await call(sim, 'GET', '/tokens', { key: other.access_token })).json() as Array<{
        id: string
        expires_at: string
      }>
      expect(list.find(t => t.id === expiring.id)?.expires_at).toBe('2021-11-02T18:47:13Z')
      // Still a record: its owner can revoke it by id, and then it is gone from the list.
      expect((await call(sim, 'DELETE', `/tokens/${expiring.id}`, { key: other.access_token })).status).toBe(
        204
      )
      const after = (await call(sim, 'GET', '/tokens', { key: other.access_token })).json() as Array<{
        id: string
      }>
      expect(after.map(t => t.id)).not.toContain(expiring.id)
    } finally {
      sim.state.clock.reset()
    }
  })

  it('records last_used_at, ip and user_agent on every authenticated use', async () => {
    const token = sim.state.addToken({ user: 'ann@example.com', name: 'used' })
    expect(sim.state.token(token.id)).toMatchObject({ last_used_at: null, ip: null, user_agent: null })
    sim.state.clock.advance(5_000)
    try {
      await call(sim, 'DELETE', '/tokens/unknownTokenId00000000', {
        key: token.access_token,
        headers: { 'user-agent': 'curl/7.64.1' }
      })
      expect(sim.state.token(token.id)).toMatchObject({
        last_used_at: '2021-11-02T18:46:18Z',
        ip: '127.0.0.1',
        user_agent: 'curl/7.64.1'
      })
    } finally {
      sim.state.clock.reset()
    }
  })

  it('read-only tokens get 403 with the read-only message on writes, and may read', async () => {
    const readOnly = sim.state.addToken({ user: 'ann@example.com', scope: 'global:read' })
    const target = sim.state.addToken({ user: 'ann@example.com' })
    expect((await call(sim, 'GET', '/tokens', { key: readOnly.access_token })).status).toBe(200)
    for (const [method, path] of [
      ['DELETE', `/tokens/${target.id}`],
      ['POST', '/sudo'],
      ['DELETE', '/tokens']
    ] as const) {
      const reply = await call(sim, method, path, {
        key: readOnly.access_token,
        form: { password: 'ann-pw' }
      })
      expect({ path, status: reply.status }).toEqual({ path, status: 403 })
      expect(reply.json()).toEqual({ msg: MESSAGES.readOnly })
    }
    expect(sim.state.token(target.id)).toBeDefined()
  })

  it('purge-only tokens may not manage other tokens (403 not authorized)', async () => {
    const purge = sim.state.addToken({ user: 'ann@example.com', scope: 'purge_select purge_all' })
    const target = sim.state.addToken({ user: 'ann@example.com' })
    const reply = await call(sim, 'DELETE', `/tokens/${target.id}`, { key: purge.access_token })
    expect(reply.status).toBe(403)
    expect((reply.json() as { msg: string }).msg).toBe(MESSAGES.forbidden)
  })

  it('GET /tokens/{id}: own 200, superuser 200, same customer 403, other customer and unknown 404', async () => {
    const ann = sim.state.addToken({ user: 'ann@example.com' })
    const annOther = sim.state.addToken({ user: 'ann@example.com', name: 'other' })
    const bob = sim.state.addToken({ user: 'bob@example.com' })
    const root = sim.state.addToken({ user: 'root@example.com' })
    const eve = sim.state.addToken({ user: 'eve@example.com' })
    const get = async (key: string, id: string) => (await call(sim, 'GET', `/tokens/${id}`, { key })).status
    expect(await get(ann.access_token, annOther.id)).toBe(200)
    expect(await get(root.access_token, ann.id)).toBe(200)
    expect(await get(bob.access_token, ann.id)).toBe(403)
    expect(await get(eve.access_token, ann.id)).toBe(404)
    expect(await get(ann.access_token, eve.id)).toBe(404)
    const unknown = await call(sim, 'GET', '/tokens/unknownTokenId00000000', { key: ann.access_token })
    expect(unknown.status).toBe(404)
    expect((unknown.json() as { msg: string }).msg).toBe(MESSAGES.tokenLookupFailed)
    // An unknown id and another customer's id are indistinguishable.
    const foreign = await call(sim, 'GET', `/tokens/${eve.id}`, { key: ann.access_token })
    expect((foreign.json() as { msg: string }).msg).toBe(MESSAGES.tokenLookupFailed)
  })

  it('GET /tokens lists only the caller user’s tokens', async () => {
    const bob = sim.state.addToken({ user: 'bob@example.com' })
    const list = (await call(sim, 'GET', '/tokens', { key: bob.access_token })).json() as Array<{
      user_id: string
    }>
    expect(list.length).toBeGreaterThan(0)
    expect(new Set(list.map(t => t.user_id))).toEqual(new Set(['bobUser000000000000001']))
  })

  it('GET /customer/{id}/tokens is for superusers of that customer only', async () => {
    const root = sim.state.addToken({ user: 'root@example.com' })
    const ann = sim.state.addToken({ user: 'ann@example.com' })
    const eve = sim.state.addToken({ user: 'eve@example.com' })
    const ok = await call(sim, 'GET', `/customer/${DEMO_CUSTOMER_ID}/tokens`, { key: root.access_token })
    expect(ok.status).toBe(200)
    const users = new Set((ok.json() as Array<{ user_id: string; customer_id: string }>).map(t => t.user_id))
    expect(users.has('annUser000000000000001') && users.has('rootUser00000000000001')).toBe(true)
    expect((ok.json() as Array<{ customer_id: string }>).every(t => t.customer_id === DEMO_CUSTOMER_ID)).toBe(
      true
    )
    expect(
      (await call(sim, 'GET', `/customer/${DEMO_CUSTOMER_ID}/tokens`, { key: ann.access_token })).status
    ).toBe(403)
    expect(
      (await call(sim, 'GET', `/customer/${DEMO_CUSTOMER_ID}/tokens`, { key: eve.access_token })).status
    ).toBe(403)
  })

  it('unknown routes get a 404 JSON body; HEAD is answered like GET without a body', async () => {
    const token = sim.state.addToken({ user: 'ann@example.com' })
    const reply = await call(sim, 'GET', '/service', { key: token.access_token })
    expect(reply.status).toBe(404)
    expect(reply.headers['content-type']).toBe('application/json')
    expect((reply.json() as { msg: string }).msg).toBe(MESSAGES.recordNotFound)
    expect((await call(sim, 'PUT', '/tokens/self', { key: token.access_token })).status).toBe(404)
    const head = await call(sim, 'HEAD', '/tokens/self', { key: token.access_token })
    expect(head.status).toBe(200)
    expect(head.text).toBe('')
  })
})
