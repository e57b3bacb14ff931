import { describe, it, expect, afterEach } from '@jest/globals'
import { revokeMany, type RevokeProgress } from '../../src/revoke/index.js'
import { ADMIN, bogusIds, DEMO, START, startWorld, writesLogged, type World } from './world.js'

let world: World | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

const HOUR = 3_600_000
const alive = (w: World) => new Set(w.sim.state.tokens().map(t => t.id))

describe('the write budget', () => {
  it('stops cleanly when the budget runs out before the deadline allows a wait; a second run after the reset finishes', async () => {
    world = await startWorld({ writeLimitPerHour: 6, maxBulkIds: 100 })
    const w = world
    const ids = w.sim.state.addTokens(1000, { user: DEMO, name: 'leaked' }).map(t => t.id)
    const first = await revokeMany(w.client, ids, {
      initialChunkSize: 100,
      deadline: w.now() + 10 * 60_000,
      now: w.now,
      sleep: w.sleep
    })
    expect(first.writes).toBe(6)
    expect(first.complete).toBe(false)
    expect(first.leftIds).toHaveLength(400)
    expect(w.slept).toEqual([])
    const left = new Set(first.leftIds)
    for (const o of first.outcomes) {
      if (left.has(o.id))
        expect(o).toMatchObject({ outcome: 'left', reason: expect.stringContaining('after the deadline') })
      else expect(o).toMatchObject({ outcome: 'revoked', verified: true })
    }
    // Exactly the left ids are still alive: nothing was reported revoked that was not.
    expect(first.leftIds.filter(id => alive(w).has(id))).toHaveLength(400)

    w.sim.state.clock.advance(HOUR)
    const second = await revokeMany(w.client, first.leftIds, {
      initialChunkSize: 100,
      now: w.now,
      sleep: w.sleep
    })
    expect(second.complete).toBe(true)
    expect(second.outcomes.every(o => o.outcome === 'revoked' && o.verified)).toBe(true)
    expect(ids.filter(id => alive(w).has(id))).toEqual([])
  })

  it('waits for the reset when the deadline allows it, and says so in the progress', async () => {
    world = await startWorld({ writeLimitPerHour: 3, maxBulkIds: 100 })
    const w = world
    const ids = w.sim.state.addTokens(500, { user: DEMO, name: 'leaked' }).map(t => t.id)
    const progress: RevokeProgress[] = []
    const report = await revokeMany(w.client, ids, {
      initialChunkSize: 100,
      deadline: w.now() + 3 * HOUR,
      now: w.now,
      sleep: w.sleep,
      onProgress: p => progress.push(p)
    })
    expect(report.complete).toBe(true)
    expect(report.writes).toBe(5)
    expect(report.outcomes.every(o => o.outcome === 'revoked' && o.verified)).toBe(true)
    // One wait, up to the next hour plus the skew margin: from about 12:00:05 to 13:00:01.
    const wakeAt = START - 5_000 + HOUR + 1_000
    expect(w.slept).toHaveLength(1)
    expect(w.slept[0]).toBeGreaterThan(HOUR - 60_000)
    expect(w.slept[0]).toBeLessThanOrEqual(HOUR - 4_000)
    expect(progress.some(p => p.waitingUntil === wakeAt)).toBe(true)
    const last = progress[progress.length - 1]!
    expect(last).toMatchObject({ done: 500, total: 500, revoked: 500, failed: 0, writes: 5 })
  })

  it('keeps the reserve it is asked to keep', async () => {
    world = await startWorld({ writeLimitPerHour: 5, maxBulkIds: 10 })
    const w = world
    const ids = w.sim.state.addTokens(100, { user: DEMO, name: 'leaked' }).map(t => t.id)
    const report = await revokeMany(w.client, ids, {
      initialChunkSize: 10,
      reserveWrites: 2,
      deadline: w.now() + 60_000,
      now: w.now,
      sleep: w.sleep
    })
    expect(w.sim.state.writesUsed(DEMO)).toBe(3)
    expect(report.leftIds).toHaveLength(70)
  })
})

describe('planning with reads', () => {
  it('a dry run spends no write and changes nothing', async () => {
    world = await startWorld()
    const w = world
    const good = w.sim.state.addTokens(50, { user: DEMO, name: 'leaked' }).map(t => t.id)
    const ids = [...good, ...bogusIds(3), 'not-an-id!']
    const report = await revokeMany(w.client, ids, { dryRun: true })
    expect(w.sim.state.writesUsed(DEMO)).toBe(0)
    expect(w.sim.state.requests().filter(r => r.method !== 'GET')).toEqual([])
    expect(report.writes).toBe(0)
    expect(report.outcomes.filter(o => o.outcome === 'would-revoke').map(o => o.id)).toEqual(good)
    expect(report.outcomes.filter(o => o.outcome === 'not-found')).toHaveLength(3)
    expect(report.outcomes[ids.length - 1]).toMatchObject({ id: 'not-an-id!', outcome: 'malformed' })
    expect(good.every(id => alive(w).has(id))).toBe(true)
  })

  it('reports malformed ids and repeats once, in input order, without sending them', async () => {
    world = await startWorld()
    const w = world
    const [a, b] = w.sim.state.addTokens(2, { user: DEMO }).map(t => t.id)
    const report = await revokeMany(w.client, [a!, 'https://x/y', a!, b!, ' '])
    expect(report.outcomes.map(o => [o.id, o.outcome])).toEqual([
      [a, 'revoked'],
      ['https://x/y', 'malformed'],
      [b, 'revoked']
    ])
    expect(w.sim.state.requests().some(r => r.body?.includes('https'))).toBe(false)
  })

  it("settles another user's token as forbidden with a read, not a write", async () => {
    world = await startWorld()
    const w = world
    const foreign = w.sim.state.addToken({ user: ADMIN, name: 'admin-token' }).id
    const own = w.sim.state.addToken({ user: DEMO, name: 'own' }).id
    const report = await revokeMany(w.client, [foreign, own])
    expect(report.outcomes).toMatchObject([
      { id: foreign, outcome: 'forbidden', reason: expect.stringContaining('HTTP 403') },
      { id: own, outcome: 'revoked', verified: true }
    ])
    expect(w.sim.state.writesUsed(DEMO)).toBe(1)
    expect(alive(w).has(foreign)).toBe(true)
  })

  it("lets a superuser revoke other users' tokens: found by lookup, verified by lookup", async () => {
    world = await startWorld({}, { user: ADMIN })
    const w = world
    const theirs = w.sim.state.addTokens(5, { user: DEMO, name: 'demo-leaked' }).map(t => t.id)
    const report = await revokeMany(w.client, theirs)
    expect(report.outcomes.every(o => o.outcome === 'revoked' && o.verified === true)).toBe(true)
    expect(theirs.filter(id => alive(w).has(id))).toEqual([])
  })

  it("uses the customer's list with customerId (superuser)", async () => {
    world = await startWorld({}, { user: ADMIN })
    const w = world
    const customerId = w.sim.state.users().find(u => u.email === ADMIN)!.customerId
    const theirs = w.sim.state.addTokens(5, { user: DEMO, name: 'demo-leaked' }).map(t => t.id)
    const report = await revokeMany(w.client, [...theirs, ...bogusIds(2)], { customerId })
    expect(report.outcomes.slice(0, 5).every(o => o.outcome === 'revoked' && o.verified)).toBe(true)
    expect(report.outcomes.slice(5).map(o => o.outcome)).toEqual(['not-found', 'not-found'])
    expect(w.sim.state.requests().filter(r => r.route === 'GET /customer/{customer_id}/tokens')).toHaveLength(
      2
    )
  })

  it('a token without the global scope spends no write on ids it cannot revoke', async () => {
    world = await startWorld({}, { scope: 'global:read' })
    const w = world
    const ids = w.sim.state.addTokens(3, { user: DEMO }).map(t => t.id)
    const report = await revokeMany(w.client, ids)
    for (const o of report.outcomes) {
      expect(o).toMatchObject({ outcome: 'forbidden', reason: expect.stringContaining('global:read') })
    }
    expect(w.sim.state.writesUsed(DEMO)).toBe(0)
  })

  it('keeps the token making the requests unless asked: skipped-self, no write for it, the rest revoked', async () => {
    world = await startWorld()
    const w = world
    const others = w.sim.state.addTokens(3, { user: DEMO }).map(t => t.id)
    for (const dryRun of [true, false]) {
      const report = await revokeMany(w.client, [...others.slice(0, 1), w.callerId, ...others.slice(1)], {
        dryRun
      })
      expect(report.outcomes[1]).toMatchObject({ id: w.callerId, outcome: 'skipped-self' })
      expect(report.outcomes.filter(o => o.outcome === (dryRun ? 'would-revoke' : 'revoked'))).toHaveLength(3)
    }
    expect(w.sim.state.requests().some(r => r.method === 'DELETE' && r.path === '/tokens/self')).toBe(false)
    expect(alive(w).has(w.callerId)).toBe(true)
  })

  it('revokes the token making the requests last when asked, after the reads that need it', async () => {
    world = await startWorld()
    const w = world
    const others = w.sim.state.addTokens(3, { user: DEMO }).map(t => t.id)
    const report = await revokeMany(w.client, [w.callerId, ...others], { includeSelf: true })
    expect(report.outcomes[0]).toMatchObject({ id: w.callerId, outcome: 'revoked', verified: true })
    expect(report.outcomes.slice(1).every(o => o.outcome === 'revoked' && o.verified)).toBe(true)
    const log = w.sim.state.requests()
    expect(log[log.length - 2]).toMatchObject({ method: 'DELETE', path: '/tokens/self' })
    expect(alive(w).has(w.callerId)).toBe(false)
  })
})

describe('never reporting revoked what was not', () => {
  it('a 204 for an id that is still listed afterwards is a failure', async () => {
    let resurrect: string | undefined
    world = await startWorld({
      bulkPolicy: 'skip-unknown',
      // A server that answers 204 yet keeps one token: put it back right after the bulk answer.
      onRequest: entry => {
        if (entry.route === 'DELETE /tokens' && resurrect && world) {
          world.sim.state.addToken({ user: DEMO, id: resurrect, name: 'survivor' })
          resurrect = undefined
        }
      }
    })
    const w = world
    const ids = w.sim.state.addTokens(4, { user: DEMO }).map(t => t.id)
    resurrect = ids[2]
    const report = await revokeMany(w.client, ids)
    expect(report.outcomes[2]).toMatchObject({
      id: ids[2],
      outcome: 'failed',
      reason: expect.stringContaining('still listed after revoke')
    })
    expect(report.outcomes.filter(o => o.outcome === 'revoked' && o.verified)).toHaveLength(3)
  })

  it('a request applied but answered 503, then retried into 404s, ends verified revoked', async () => {
    world = await startWorld({
      faults: [{ route: 'DELETE /tokens', kind: 'status5xx', status: 503, phase: 'after', times: 1 }]
    })
    const w = world
    const ids = w.sim.state.addTokens(30, { user: DEMO }).map(t => t.id)
    const report = await revokeMany(w.client, ids)
    for (const o of report.outcomes) {
      expect(o).toMatchObject({ outcome: 'revoked', verified: true })
    }
    expect(ids.filter(id => alive(w).has(id))).toEqual([])
  })

  it('three failed bulk requests in a row stop the writes, and the ids say why', async () => {
    world = await startWorld({ faults: [{ route: 'DELETE /tokens', kind: 'status5xx', status: 502 }] })
    const w = world
    const ids = w.sim.state.addTokens(30, { user: DEMO }).map(t => t.id)
    const report = await revokeMany(w.client, ids, { initialChunkSize: 10 })
    expect(report.outcomes.every(o => o.outcome === 'failed' && o.reason?.includes('HTTP 502'))).toBe(true)
    // Two attempts per request (the client's retry), three requests.
    expect(report.writes).toBe(6)
    expect(ids.every(id => alive(w).has(id))).toBe(true)
  })

  it('refused credentials stop the run before any write, saying so in one line', async () => {
    world = await startWorld()
    const w = world
    const ids = w.sim.state.addTokens(3, { user: DEMO }).map(t => t.id)
    w.sim.state.revokeToken(w.callerId)
    const run = revokeMany(w.client, ids)
    await expect(run).rejects.toMatchObject({
      name: 'EndpointProofError',
      proof: 'caller-refused',
      message: expect.stringContaining('HTTP 401')
    })
    expect(writesLogged(w.sim)).toBe(0)
  })
})

describe('options', () => {
  it('refuses bad options before any request', async () => {
    world = await startWorld()
    const w = world
    await expect(revokeMany(w.client, ['a'.repeat(22)], { initialChunkSize: 0 })).rejects.toThrow(
      /initialChunkSize/
    )
    await expect(revokeMany(w.client, ['a'.repeat(22)], { customerId: 'x/y' })).rejects.toThrow(/customerId/)
    await expect(revokeMany(w.client, ['a'.repeat(22)], { deadline: Number.NaN })).rejects.toThrow(/deadline/)
    expect(w.sim.state.requests()).toEqual([])
  })
})
