/** DELETE /tokens, the JSON:API bulk revoke: content type, body, limit, policies, one write. */
import { describe, expect, it } from '@jest/globals'
import { MESSAGES } from '../../src/simulator/index.js'
import { BULK_HEADERS, bulkBody, call, withSim } from './helpers.js'

const USERS = [
  { email: 'ann@example.com', password: 'ann-pw' },
  { email: 'bob@example.com', password: 'bob-pw' },
  { email: 'root@example.com', password: 'root-pw', role: 'superuser' as const },
  { email: 'eve@example.com', password: 'eve-pw', customerId: 'otherCustomer000000001' }
]

describe('bulk revoke', () => {
  it('revokes every listed token with 204 and an empty body', async () => {
    await withSim({ users: USERS }, async sim => {
      const caller = sim.state.addToken({ user: 'ann@example.com' })
      const ids = sim.state.addTokens(3, { user: 'ann@example.com' }).map(t => t.id)
      const reply = await call(sim, 'DELETE', '/tokens', {
        key: caller.access_token,
        headers: BULK_HEADERS,
        body: bulkBody(ids)
      })
      expect(reply.status).toBe(204)
      expect(reply.text).toBe('')
      expect(ids.map(id => sim.state.token(id))).toEqual([undefined, undefined, undefined])
      expect(sim.state.token(caller.id)).toBeDefined()
    })
  })

  it.each([
    'application/vnd.api+json; ext=bulk',
    'application/vnd.api+json;ext=bulk',
    'Application/VND.API+JSON ;  ext="bulk"',
    'application/vnd.api+json; charset=utf-8; ext=bulk',
    'application/vnd.api+json; ext=bulk; charset=utf-8'
  ])('accepts the content type written as %p', async contentType => {
    await withSim({ users: USERS }, async sim => {
      const caller = sim.state.addToken({ user: 'ann@example.com' })
      const target = sim.state.addToken({ user: 'ann@example.com' })
      const reply = await call(sim, 'DELETE', '/tokens', {
        key: caller.access_token,
        headers: { 'content-type': contentType },
        body: bulkBody([target.id])
      })
      expect(reply.status).toBe(204)
    })
  })

  it.each([
    ['no content type', {}, 'ok'],
    ['plain JSON', { 'content-type': 'application/json' }, 'ok'],
    ['JSON:API without the bulk extension', { 'content-type': 'application/vnd.api+json' }, 'ok'],
    ['not JSON', BULK_HEADERS, '{"data":['],
    ['no data array', BULK_HEADERS, '{"data":{"type":"token","id":"x"}}'],
    ['empty data', BULK_HEADERS, '{"data":[]}'],
    ['wrong type', BULK_HEADERS, '{"data":[{"type":"service","id":"abc"}]}'],
    ['id missing', BULK_HEADERS, '{"data":[{"type":"token"}]}']
  ] as const)('refuses %s with 400 and revokes nothing', async (_label, headers, body) => {
    await withSim({ users: USERS }, async sim => {
      const caller = sim.state.addToken({ user: 'ann@example.com' })
      const target = sim.state.addToken({ user: 'ann@example.com' })
      const payload = body === 'ok' ? bulkBody([target.id]) : body
      const reply = await call(sim, 'DELETE', '/tokens', { key: caller.access_token, headers, body: payload })
      expect(reply.status).toBe(400)
      expect(reply.headers['content-type']).toBe('application/json')
      expect((reply.json() as { msg: string }).msg).toBe(MESSAGES.badRequest)
      expect(sim.state.token(target.id)).toBeDefined()
    })
  })

  it('refuses more than maxBulkIds ids with 400 saying the limit was exceeded', async () => {
    await withSim({ users: USERS, maxBulkIds: 3 }, async sim => {
      const caller = sim.state.addToken({ user: 'ann@example.com' })
      const ids = sim.state.addTokens(4, { user: 'ann@example.com' }).map(t => t.id)
      const over = await call(sim, 'DELETE', '/tokens', {
        key: caller.access_token,
        headers: BULK_HEADERS,
        body: bulkBody(ids)
      })
      expect(over.status).toBe(400)
      expect(over.json()).toEqual({
        msg: MESSAGES.bulkLimit,
        detail: 'Too many token ids in one request: 4 given, the limit is 3.'
      })
      expect(sim.state.tokens()).toHaveLength(5)
      const atLimit = await call(sim, 'DELETE', '/tokens', {
        key: caller.access_token,
        headers: BULK_HEADERS,
        body: bulkBody(ids.slice(0, 3))
      })
      expect(atLimit.status).toBe(204)
      sim.state.settings.maxBulkIds = 1000
      expect(sim.state.settings.maxBulkIds).toBe(1000)
    })
  })

  it('all-or-nothing: an unknown or other-customer id fails the whole request with 404 naming it', async () => {
    await withSim({ users: USERS }, async sim => {
      const caller = sim.state.addToken({ user: 'ann@example.com' })
      const mine = sim.state.addToken({ user: 'ann@example.com' })
      const foreign = sim.state.addToken({ user: 'eve@example.com' })
      const reply = await call(sim, 'DELETE', '/tokens', {
        key: caller.access_token,
        headers: BULK_HEADERS,
        body: bulkBody([mine.id, 'unknownTokenId00000000', foreign.id])
      })
      expect(reply.status).toBe(404)
      const body = reply.json() as { msg: string; detail: string }
      expect(body.msg).toBe(MESSAGES.tokenLookupFailed)
      expect(body.detail).toContain('unknownTokenId00000000')
      expect(body.detail).toContain(foreign.id)
      expect(body.detail).not.toContain(mine.id)
      expect(sim.state.token(mine.id)).toBeDefined()
      expect(sim.state.token(foreign.id)).toBeDefined()
    })
  })

  it('all-or-nothing: another user’s token (same customer) fails the whole request with 403 naming it', async () => {
    await withSim({ users: USERS }, async sim => {
      const caller = sim.state.addToken({ user: 'ann@example.com' })
      const mine = sim.state.addToken({ user: 'ann@example.com' })
      const bobs = sim.state.addToken({ user: 'bob@example.com' })
      const reply = await call(sim, 'DELETE', '/tokens', {
        key: caller.access_token,
        headers: BULK_HEADERS,
        body: bulkBody([mine.id, bobs.id])
      })
      expect(reply.status).toBe(403)
      expect((reply.json() as { detail: string }).detail).toContain(bobs.id)
      expect(sim.state.token(mine.id)).toBeDefined()
      // A superuser may revoke both.
      const root = sim.state.addToken({ user: 'root@example.com' })
      const ok = await call(sim, 'DELETE', '/tokens', {
        key: root.access_token,
        headers: BULK_HEADERS,
        body: bulkBody([mine.id, bobs.id])
      })
      expect(ok.status).toBe(204)
      expect([sim.state.token(mine.id), sim.state.token(bobs.id)]).toEqual([undefined, undefined])
    })
  })

  it('skip-unknown: revokes what the caller may, skips unknown and forbidden ids, answers 204', async () => {
    await withSim({ users: USERS, bulkPolicy: 'skip-unknown' }, async sim => {
      const caller = sim.state.addToken({ user: 'ann@example.com' })
      const mine = sim.state.addToken({ user: 'ann@example.com' })
      const bobs = sim.state.addToken({ user: 'bob@example.com' })
      const foreign = sim.state.addToken({ user: 'eve@example.com' })
      const reply = await call(sim, 'DELETE', '/tokens', {
        key: caller.access_token,
        headers: BULK_HEADERS,
        body: bulkBody([mine.id, bobs.id, foreign.id, 'unknownTokenId00000000', mine.id])
      })
      expect(reply.status).toBe(204)
      expect(sim.state.token(mine.id)).toBeUndefined()
      expect(sim.state.token(bobs.id)).toBeDefined()
      expect(sim.state.token(foreign.id)).toBeDefined()
    })
  })

  it('counts as one write however many ids it carries', async () => {
    await withSim({ users: USERS }, async sim => {
      const caller = sim.state.addToken({ user: 'ann@example.com' })
      const ids = sim.state.addTokens(50, { user: 'ann@example.com' }).map(t => t.id)
      const reply = await call(sim, 'DELETE', '/tokens', {
        key: caller.access_token,
        headers: BULK_HEADERS,
        body: bulkBody(ids)
      })
      expect(reply.status).toBe(204)
      expect(sim.state.writesUsed('ann@example.com')).toBe(1)
      expect(reply.headers['fastly-ratelimit-remaining']).toBe('999')
    })
  })

  it('the policy can be switched at runtime and bad values are refused at assignment', async () => {
    await withSim({ users: USERS }, async sim => {
      expect(() => {
        sim.state.settings.bulkPolicy = 'best-effort' as 'skip-unknown'
      }).toThrow(/bulkPolicy/)
      expect(() => {
        sim.state.settings.maxBulkIds = 0
      }).toThrow(/maxBulkIds/)
      sim.state.settings.bulkPolicy = 'skip-unknown'
      const caller = sim.state.addToken({ user: 'ann@example.com' })
      const reply = await call(sim, 'DELETE', '/tokens', {
        key: caller.access_token,
        headers: BULK_HEADERS,
        body: bulkBody(['unknownTokenId00000000'])
      })
      expect(reply.status).toBe(204)
    })
  })
})
