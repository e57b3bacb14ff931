/** The in-code inspection API: tokens, users, request log (redacted), seeding, reset, clock. */
import { describe, expect, it } from '@jest/globals'
import type { RequestLogEntry } from '../../src/simulator/index.js'
import { DEMO_ACCOUNTS, startSimulator } from '../../src/simulator/index.js'
import { call, fixedClock, otpFor, START_MS, withSim } from './helpers.js'

describe('inspection API', () => {
  it('seeds the demo accounts when no users are given', async () => {
    await withSim({}, async sim => {
      expect(sim.state.users().map(u => [u.email, u.role, u.customerId, u.twoFactor])).toEqual([
        ['demo@example.com', 'user', 'demoCustomer0000000000', false],
        ['admin@example.com', 'superuser', 'demoCustomer0000000000', false],
        ['2fa@example.com', 'user', 'demoCustomer0000000000', true]
      ])
      expect(DEMO_ACCOUNTS.map(a => a.password)).toEqual(['demo-password', 'admin-password', '2fa-password'])
      expect(JSON.stringify(sim.state.users())).not.toContain('password')
    })
  })

  it('lists live tokens, finds one by access token, and sees tokens created over HTTP', async () => {
    await withSim(
      {
        tokens: [
          { user: 'demo@example.com', name: 'seeded', accessToken: 'seededAccessToken_0000000000000-' }
        ]
      },
      async sim => {
        expect(sim.state.tokens().map(t => t.name)).toEqual(['seeded'])
        expect(sim.state.findByAccessToken('seededAccessToken_0000000000000-')?.name).toBe('seeded')
        expect(sim.state.findByAccessToken('nope')).toBeUndefined()
        await call(sim, 'POST', '/tokens', {
          form: { username: 'demo@example.com', password: 'demo-password', name: 'http' }
        })
        expect(sim.state.tokens().map(t => t.name)).toEqual(['seeded', 'http'])
      }
    )
  })

  it('logs every request with Fastly-Key, Fastly-OTP, Authorization and passwords redacted', async () => {
    await withSim({}, async sim => {
      const token = sim.state.addToken({ user: 'demo@example.com' })
      const otp = otpFor('JBSWY3DPEHPK3PXP', START_MS)
      await call(sim, 'GET', '/tokens/self?x=1', { key: token.access_token })
      await call(sim, 'POST', '/sudo', { key: token.access_token, json: { password: 'demo-password' } })
      await call(sim, 'POST', '/tokens', {
        headers: { 'fastly-otp': otp, authorization: 'Basic ZGVtbzpzZWNyZXQ=' },
        form: { username: '2fa@example.com', password: '2fa-password', name: 'n' }
      })
      const log = sim.state.requests()
      expect(log.map(e => [e.method, e.path, e.route, e.status])).toEqual([
        ['GET', '/tokens/self?x=1', 'GET /tokens/self', 200],
        ['POST', '/sudo', 'POST /sudo', 200],
        ['POST', '/tokens', 'POST /tokens', 200]
      ])
      expect(log[0]).toMatchObject({ user: 'demo@example.com', tokenId: token.id, faults: [] })
      expect(log[0]!.headers['fastly-key']).toBe('[redacted]')
      expect(log[1]!.body).toBe('{"password":"[redacted]"}')
      expect(log[2]!.headers['fastly-otp']).toBe('[redacted]')
      expect(log[2]!.headers.authorization).toBe('[redacted]')
      expect(log[2]!.body).toContain('name=n')
      const text = JSON.stringify(log)
      for (const secret of [token.access_token, 'demo-password', '2fa-password', otp, 'ZGVtbzpzZWNyZXQ=']) {
        expect(text).not.toContain(secret)
      }
      expect(log.map(e => e.seq)).toEqual([1, 2, 3])
    })
  })

  it('keeps at most logLimit entries, oldest dropped first, and calls onRequest', async () => {
    const seen: RequestLogEntry[] = []
    await withSim({ logLimit: 2, onRequest: entry => seen.push(entry) }, async sim => {
      for (const path of ['/a', '/b', '/c']) await call(sim, 'GET', path)
      expect(sim.state.requests().map(e => e.path)).toEqual(['/b', '/c'])
      expect(seen.map(e => e.path)).toEqual(['/a', '/b', '/c'])
    })
  })

  it('addTokens seeds 10,000 tokens that list and bulk revoke like any other', async () => {
    await withSim({ maxBulkIds: 10_000 }, async sim => {
      const created = sim.state.addTokens(10_000, { user: 'demo@example.com', name: 'load' })
      expect(created).toHaveLength(10_000)
      expect(new Set(created.map(t => t.id)).size).toBe(10_000)
      expect(created[9_999]!.name).toBe('load-10000')
      const key = created[0]!.access_token
      const list = (await call(sim, 'GET', '/tokens', { key })).json() as unknown[]
      expect(list).toHaveLength(10_000)
      const body = JSON.stringify({ data: created.slice(1).map(t => ({ type: 'token', id: t.id })) })
      const reply = await call(sim, 'DELETE', '/tokens', {
        key,
        headers: { 'content-type': 'application/vnd.api+json; ext=bulk' },
        body
      })
      expect(reply.status).toBe(204)
      expect(sim.state.tokens()).toHaveLength(1)
    })
  })

  it('addUser and addToken check their input and name the field', async () => {
    await withSim({}, async sim => {
      const user = sim.state.addUser({
        email: 'new@example.com',
        password: 'pw',
        role: 'superuser',
        customerId: 'newCustomer00000000001'
      })
      expect(user).toMatchObject({ email: 'new@example.com', role: 'superuser', twoFactor: false })
      expect(user.id).toMatch(/^[A-Za-z0-9]{22}$/)
      expect(() => sim.state.addUser({ email: 'new@example.com', password: 'pw' })).toThrow(/seeded twice/)
      expect(() =>
        sim.state.addUser({ email: 'x@example.com', password: 'pw', totpSecret: 'not base32!' })
      ).toThrow(/totpSecret/)
      expect(() => sim.state.addToken({ user: 'ghost@example.com' })).toThrow(/no seeded user/)
      expect(() => sim.state.addToken({ user: 'new@example.com', scope: 'root' })).toThrow(/scope/)
      expect(() => sim.state.addToken({ user: 'new@example.com', expiresAt: 'soon' })).toThrow(/expiresAt/)
      const fixedId = { user: 'new@example.com', id: 'sameId0000000000000001' } as { user: string }
      expect(() => sim.state.addTokens(2, fixedId)).toThrow(/drawn per token/)
    })
    await expect(startSimulator({ users: [{ email: 'a@example.com', password: '' }] })).rejects.toThrow(
      /users\[0\]\.password/
    )
    await expect(startSimulator({ port: 70000 })).rejects.toThrow(/port/)
  })

  it('reset() restores the seeded world: tokens, settings, faults, budgets, log and clock', async () => {
    await withSim(
      { seed: 5, tokens: [{ user: 'demo@example.com', name: 'seeded' }], writeLimitPerHour: 50 },
      async sim => {
        const seeded = sim.state.tokens()[0]!
        const extra = sim.state.addToken({ user: 'demo@example.com', name: 'extra' })
        await call(sim, 'DELETE', '/tokens/self', { key: extra.access_token })
        sim.state.settings.bulkPolicy = 'skip-unknown'
        sim.state.faults.push({ kind: 'drop' })
        sim.state.clock.advance(3_600_000)
        sim.state.reset()
        expect(sim.state.tokens()).toEqual([seeded])
        expect(sim.state.settings.bulkPolicy).toBe('all-or-nothing')
        expect(sim.state.settings.writeLimitPerHour).toBe(50)
        expect(sim.state.faults).toEqual([])
        expect(sim.state.requests()).toEqual([])
        expect(sim.state.writesUsed('demo@example.com')).toBe(0)
        expect(sim.state.clock.now()).toBe(START_MS)
      }
    )
  })

  it('the clock can be set and advanced on top of an injected clock', async () => {
    const sim = await startSimulator({ clock: fixedClock() })
    try {
      sim.state.clock.set(Date.UTC(2030, 0, 1))
      sim.state.clock.advance(1000)
      const token = sim.state.addToken({ user: 'demo@example.com' })
      expect(token.created_at).toBe('2030-01-01T00:00:01Z')
      expect(() => sim.state.clock.advance(Number.NaN)).toThrow(/finite/)
    } finally {
      await sim.close()
    }
  })

  it('listens on a free port by default and close() is idempotent', async () => {
    const sim = await startSimulator()
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`)
    expect(sim.port).toBeGreaterThan(0)
    await Promise.all([sim.close(), sim.close()])
    await expect(call(sim, 'GET', '/tokens/self')).rejects.toThrow()
  })
})
