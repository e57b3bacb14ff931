/** DELETE /tokens/self and DELETE /tokens/{id}: who may revoke what, and what revocation does. */
import { describe, expect, it } from '@jest/globals'
import { MESSAGES } from '../../src/simulator/index.js'
import { call, withSim } from './helpers.js'

const USERS = [
  { email: 'ann@example.com', password: 'ann-pw' },
  { email: 'bob@example.com', password: 'bob-pw' },
  { email: 'root@example.com', password: 'root-pw', role: 'superuser' as const },
  {
    email: 'eve@example.com',
    password: 'eve-pw',
    role: 'superuser' as const,
    customerId: 'otherCustomer000000001'
  }
]

describe('revocation', () => {
  it('DELETE /tokens/self: 204, empty body, then the key gets 401 and the token is gone from lists', async () => {
    await withSim({ users: USERS }, async sim => {
      const token = sim.state.addToken({ user: 'ann@example.com' })
      const keep = sim.state.addToken({ user: 'ann@example.com' })
      const reply = await call(sim, 'DELETE', '/tokens/self', { key: token.access_token })
      expect(reply.status).toBe(204)
      expect(reply.text).toBe('')
      expect((await call(sim, 'GET', '/tokens/self', { key: token.access_token })).status).toBe(401)
      expect((await call(sim, 'DELETE', '/tokens/self', { key: token.access_token })).status).toBe(401)
      const list = (await call(sim, 'GET', '/tokens', { key: keep.access_token })).json() as Array<{
        id: string
      }>
      expect(list.map(t => t.id)).toEqual([keep.id])
      expect((await call(sim, 'GET', `/tokens/${token.id}`, { key: keep.access_token })).status).toBe(404)
    })
  })

  it('DELETE /tokens/{id}: own 204, other user 403, superuser 204, other customer and unknown 404', async () => {
    await withSim({ users: USERS }, async sim => {
      const ann = sim.state.addToken({ user: 'ann@example.com' })
      const ann2 = sim.state.addToken({ user: 'ann@example.com' })
      const bob = sim.state.addToken({ user: 'bob@example.com' })
      const root = sim.state.addToken({ user: 'root@example.com' })
      const eve = sim.state.addToken({ user: 'eve@example.com' })
      const revoke = async (key: string, id: string) => call(sim, 'DELETE', `/tokens/${id}`, { key })

      const denied = await revoke(bob.access_token, ann2.id)
      expect(denied.status).toBe(403)
      expect((denied.json() as { msg: string }).msg).toBe(MESSAGES.forbidden)
      expect(sim.state.token(ann2.id)).toBeDefined()

      expect((await revoke(ann.access_token, ann2.id)).status).toBe(204)
      expect((await revoke(root.access_token, bob.id)).status).toBe(204)
      expect(sim.state.token(bob.id)).toBeUndefined()

      const foreign = await revoke(root.access_token, eve.id)
      expect(foreign.status).toBe(404)
      expect(foreign.json()).toMatchObject({ msg: MESSAGES.tokenLookupFailed })
      expect(sim.state.token(eve.id)).toBeDefined()
      expect((await revoke(ann.access_token, 'unknownTokenId00000000')).status).toBe(404)
      // Revoking an already revoked id: 404, which the CLI treats as "already gone".
      expect((await revoke(ann.access_token, ann2.id)).status).toBe(404)
      // A token may revoke itself by id.
      expect((await revoke(ann.access_token, ann.id)).status).toBe(204)
    })
  })

  it('readOnlySelfRevoke (default on) lets a global:read token revoke itself; off answers 403', async () => {
    await withSim({ users: USERS }, async sim => {
      const first = sim.state.addToken({ user: 'ann@example.com', scope: 'global:read' })
      expect((await call(sim, 'DELETE', '/tokens/self', { key: first.access_token })).status).toBe(204)

      sim.state.settings.readOnlySelfRevoke = false
      const second = sim.state.addToken({ user: 'ann@example.com', scope: 'global:read' })
      const refused = await call(sim, 'DELETE', '/tokens/self', { key: second.access_token })
      expect(refused.status).toBe(403)
      expect(refused.json()).toEqual({ msg: MESSAGES.readOnly })
      const byId = await call(sim, 'DELETE', `/tokens/${second.id}`, { key: second.access_token })
      expect(byId.status).toBe(403)
      expect(sim.state.token(second.id)).toBeDefined()
    })
  })

  it('readOnlySelfRevoke can be set at start', async () => {
    await withSim({ users: USERS, readOnlySelfRevoke: false }, async sim => {
      const token = sim.state.addToken({ user: 'ann@example.com', scope: 'global:read' })
      expect((await call(sim, 'DELETE', '/tokens/self', { key: token.access_token })).status).toBe(403)
    })
  })

  it('a purge-only token may revoke itself', async () => {
    await withSim({ users: USERS }, async sim => {
      const token = sim.state.addToken({ user: 'ann@example.com', scope: 'purge_select' })
      expect((await call(sim, 'DELETE', '/tokens/self', { key: token.access_token })).status).toBe(204)
    })
  })
})
