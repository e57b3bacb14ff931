/**
 * Leaked values in bulk (issue 11 §3): with an admin token, values are resolved with free reads
 * and their ids revoked through the id engine; without one, each value revokes itself, on its
 * owner's own budget, with the reset time in the reason and positions (never values) left.
 */
import { describe, it, expect, afterEach } from '@jest/globals'
import { revokeValues } from '../../src/revoke/index.js'
import { DEMO_CUSTOMER_ID } from '../../src/simulator/demo.js'
import { ADMIN, DEMO, startWorld, writesLogged, type World } from './world.js'

let world: World | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

const alive = (w: World, id: string): boolean => w.sim.state.token(id) !== undefined

/** `owners` users of the demo customer with `each` tokens apiece; their values, owner by owner. */
function leakedTokens(w: World, owners: number, each: number, writeLimitPerHour?: number) {
  const tokens = []
  for (let i = 0; i < owners; i++) {
    const email = `owner${i}@example.com`
    w.sim.state.addUser({
      email,
      password: 'owner-password',
      customerId: DEMO_CUSTOMER_ID,
      ...(writeLimitPerHour ? { writeLimitPerHour } : {})
    })
    tokens.push(...w.sim.state.addTokens(each, { user: email, name: `leaked-${i}` }))
  }
  return tokens
}

describe('with an admin token', () => {
  for (const customer of [true, false]) {
    it(`revokes 300 values of 10 owners in ceil(300/cap) + 2 writes or fewer, each verified${customer ? ' (customer list)' : ' (lookups)'}`, async () => {
      const cap = 150
      world = await startWorld({ maxBulkIds: cap }, { user: ADMIN })
      const w = world
      const tokens = leakedTokens(w, 10, 30)
      const report = await revokeValues(
        w.client,
        tokens.map(t => t.access_token),
        { admin: w.client, ...(customer ? { customerId: DEMO_CUSTOMER_ID } : {}) }
      )
      expect(report.mode).toBe('bulk')
      expect(report.outcomes).toHaveLength(300)
      report.outcomes.forEach((o, i) => {
        expect(o).toMatchObject({ index: i, tokenId: tokens[i]!.id, outcome: 'revoked', verified: true })
      })
      expect(report.writes).toBe(writesLogged(w.sim))
      expect(report.writes).toBeLessThanOrEqual(Math.ceil(300 / cap) + 2)
      expect(tokens.filter(t => alive(w, t.id))).toEqual([])
      // Every write was the admin's: no owner's budget was touched.
      for (let i = 0; i < 10; i++) expect(w.sim.state.writesUsed(`owner${i}@example.com`)).toBe(0)
      const text = JSON.stringify(report)
      for (const t of tokens.slice(0, 20)) expect(text).not.toContain(t.access_token)
    })
  }

  it('a caller who is no superuser revokes its own users’ tokens in bulk, and the others revoke themselves', async () => {
    world = await startWorld()
    const w = world
    const own = w.sim.state.addTokens(4, { user: DEMO, name: 'mine' })
    const others = leakedTokens(w, 2, 3)
    const report = await revokeValues(
      w.client,
      [...own, ...others].map(t => t.access_token),
      { admin: w.client }
    )
    expect(report.outcomes.every(o => o.outcome === 'revoked' && o.verified)).toBe(true)
    expect(w.sim.state.writesUsed(DEMO)).toBe(1)
    expect(w.sim.state.writesUsed('owner0@example.com')).toBe(3)
    expect([...own, ...others].filter(t => alive(w, t.id))).toEqual([])
  })

  it('reports already-gone values from their own read, and malformed entries, without a write', async () => {
    world = await startWorld({}, { user: ADMIN })
    const w = world
    const gone = w.sim.state.addToken({ user: DEMO })
    w.sim.state.revokeToken(gone.id)
    const report = await revokeValues(w.client, [gone.access_token, 'one two', '"  "'], { admin: w.client })
    expect(report.outcomes.map(o => o.outcome)).toEqual(['already-gone', 'malformed', 'malformed'])
    expect(writesLogged(w.sim)).toBe(0)
  })
})

describe('without an admin token, on the owners’ own budgets', () => {
  for (const headers of [true, false]) {
    it(`leaves what an owner's spent hour cannot pay, with the reset time, by position${headers ? '' : ' (no rate-limit headers on writes)'}`, async () => {
      world = await startWorld({ writeRateLimitHeaders: headers })
      const w = world
      // Two owners with a budget of 2 writes each, 5 values each: 2 revoked, 3 left per owner.
      const tokens = leakedTokens(w, 2, 5, 2)
      const report = await revokeValues(
        w.client,
        tokens.map(t => t.access_token),
        { deadline: w.now() + 60_000, now: w.now, sleep: w.sleep, concurrency: 1 }
      )
      expect(report.mode).toBe('self')
      const byOwner = [0, 1].map(i => report.outcomes.slice(i * 5, i * 5 + 5))
      for (const outcomes of byOwner) {
        expect(outcomes.filter(o => o.outcome === 'revoked')).toHaveLength(2)
        const left = outcomes.filter(o => o.outcome === 'left')
        expect(left).toHaveLength(3)
        for (const o of left) {
          expect(o.reason).toMatch(/2030-01-15T13:00:00\.000Z/)
          expect(o.reason).toContain(`user ${o.userId}`)
        }
      }
      expect(report.leftPositions).toEqual(
        report.outcomes.filter(o => o.outcome === 'left').map(o => o.index + 1)
      )
      expect(report.complete).toBe(false)
      const text = JSON.stringify(report)
      for (const t of tokens) expect(text).not.toContain(t.access_token)
      // One owner's spent budget never cost the other one's values anything.
      expect(w.sim.state.writesUsed('owner0@example.com')).toBeLessThanOrEqual(2)
    })
  }

  it('waits for the window to reset when the deadline allows it, and finishes', async () => {
    world = await startWorld()
    const w = world
    const tokens = leakedTokens(w, 1, 4, 2)
    const report = await revokeValues(
      w.client,
      tokens.map(t => t.access_token),
      { now: w.now, sleep: w.sleep, concurrency: 1 }
    )
    expect(report.outcomes.every(o => o.outcome === 'revoked')).toBe(true)
    expect(w.slept.length).toBeGreaterThan(0)
  })
})

describe('a dry run', () => {
  // With an admin that is a superuser (bulk plan), one that is not (others' values would revoke
  // themselves), and none (every value would revoke itself): the same reads, never a write.
  const CALLERS = [
    ['a superuser admin token', { user: ADMIN }, true],
    ['an admin token of a plain user', undefined, true],
    ['no admin token', { user: ADMIN }, false]
  ] as const
  it.each(CALLERS)(
    'with %s: reads each value, plans it, writes nothing',
    async (_label, caller, withAdmin) => {
      world = await startWorld({}, caller)
      const w = world
      const own = w.sim.state.addTokens(2, { user: DEMO, name: 'mine' })
      const others = leakedTokens(w, 2, 2)
      const gone = w.sim.state.addToken({ user: DEMO, name: 'gone' })
      w.sim.state.revokeToken(gone.id)
      const live = [...own, ...others]
      const before = w.sim.state.requests().length
      const report = await revokeValues(
        w.client,
        [...live.map(t => t.access_token), gone.access_token, 'not a token value'],
        { ...(withAdmin ? { admin: w.client } : {}), dryRun: true }
      )
      expect(report.dryRun).toBe(true)
      expect(report.writes).toBe(0)
      expect(writesLogged(w.sim)).toBe(0)
      expect(
        w.sim.state
          .requests()
          .slice(before)
          .every(r => r.method === 'GET')
      ).toBe(true)
      expect(live.filter(t => !alive(w, t.id))).toEqual([])
      live.forEach((t, i) => {
        expect(report.outcomes[i]).toMatchObject({
          index: i,
          tokenId: t.id,
          name: t.name,
          outcome: 'would-revoke'
        })
        expect(report.outcomes[i]!.reason).toMatch(/would (be revoked in bulk|revoke itself)/)
      })
      expect(report.outcomes[live.length]).toMatchObject({ outcome: 'already-gone' })
      expect(report.outcomes[live.length + 1]).toMatchObject({ outcome: 'malformed' })
      expect(report.leftPositions).toEqual([])
      // Who would pay: without an admin token each value its owner; with one, the admin in bulk
      // unless it may not revoke another user's token.
      const itself = report.outcomes.filter(o => /revoke itself/.test(o.reason ?? '')).map(o => o.tokenId)
      if (!withAdmin) expect(itself).toEqual(live.map(t => t.id))
      else if (caller === undefined) expect(itself).toEqual(others.map(t => t.id))
      else expect(itself).toEqual([])
      const text = JSON.stringify(report)
      for (const t of live) expect(text).not.toContain(t.access_token)
    }
  )
})
