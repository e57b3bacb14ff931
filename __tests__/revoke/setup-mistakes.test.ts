/**
 * Costly setup mistakes caught before they cost (issue 11 §5), budgets that do not depend on the
 * rate-limit headers (§9), and an interruption that leaves everything not done as left (§4).
 */
import { describe, it, expect, afterEach } from '@jest/globals'
import { revokeMany } from '../../src/revoke/index.js'
import { DEMO_CUSTOMER_ID } from '../../src/simulator/demo.js'
import { ADMIN, DEMO, startWorld, writesLogged, type World } from './world.js'

let world: World | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

const alive = (w: World, id: string): boolean => w.sim.state.token(id) !== undefined

describe('a refused or unknown customer list', () => {
  it('(no superuser with customerId, 300 foreign ids) is said at once, and costs no write for other users’ tokens', async () => {
    world = await startWorld()
    const w = world
    const foreign = w.sim.state.addTokens(300, { user: ADMIN, name: 'not-mine' }).map(t => t.id)
    const own = w.sim.state.addTokens(5, { user: DEMO, name: 'mine' }).map(t => t.id)
    const notes: string[] = []
    const report = await revokeMany(w.client, [...foreign, ...own], {
      customerId: DEMO_CUSTOMER_ID,
      onNote: n => notes.push(n)
    })
    expect(notes).toHaveLength(1)
    expect(notes[0]).toContain(`the token list of customer ${DEMO_CUSTOMER_ID} was refused`)
    expect(notes[0]).toContain("caller's own token list instead")
    expect(report.notes).toEqual(notes)
    const byId = new Map(report.outcomes.map(o => [o.id, o]))
    for (const id of foreign) expect(byId.get(id)!.outcome).toBe('forbidden')
    for (const id of own) expect(byId.get(id)).toMatchObject({ outcome: 'revoked', verified: true })
    // One bulk write for the caller's own five; the 300 forbidden ones were settled by reads.
    expect(writesLogged(w.sim)).toBe(1)
    expect(foreign.every(id => alive(w, id))).toBe(true)
  })

  it('(a misspelled customer id) falls back to the own list with a note; a superuser still revokes by lookup', async () => {
    world = await startWorld({}, { user: ADMIN })
    const w = world
    const theirs = w.sim.state.addTokens(3, { user: DEMO }).map(t => t.id)
    const notes: string[] = []
    const report = await revokeMany(w.client, theirs, {
      customerId: 'demoCustomer000000000O',
      onNote: n => notes.push(n)
    })
    expect(notes.join('\n')).toContain('misspelled')
    expect(report.outcomes.every(o => o.outcome === 'revoked' && o.verified)).toBe(true)
    expect(writesLogged(w.sim)).toBe(1)
  })

  it('(a superuser without customerId and many ids off its own list) gets a note naming the customer id', async () => {
    world = await startWorld({}, { user: ADMIN })
    const w = world
    const theirs = w.sim.state.addTokens(120, { user: DEMO }).map(t => t.id)
    const notes: string[] = []
    await revokeMany(w.client, theirs, { onNote: n => notes.push(n) })
    expect(notes).toHaveLength(1)
    expect(notes[0]).toContain('120 ids are not on the caller')
    expect(notes[0]).toContain(DEMO_CUSTOMER_ID)
  })
})

describe('the write budget without rate-limit headers on writes', () => {
  it('learns from the 429 alone: every id gets an outcome, the rest left, nothing failed', async () => {
    world = await startWorld({ writeRateLimitHeaders: false, writeLimitPerHour: 2, maxBulkIds: 10 })
    const w = world
    const ids = w.sim.state.addTokens(40, { user: DEMO }).map(t => t.id)
    const report = await revokeMany(w.client, ids, {
      initialChunkSize: 10,
      deadline: w.now() + 5 * 60_000,
      now: w.now,
      sleep: w.sleep
    })
    expect(w.client.rateLimit).toBeUndefined()
    const counts = { revoked: 0, left: 0, other: 0 }
    for (const o of report.outcomes) {
      if (o.outcome === 'revoked') counts.revoked += 1
      else if (o.outcome === 'left') counts.left += 1
      else counts.other += 1
    }
    expect(counts).toEqual({ revoked: 20, left: 20, other: 0 })
    expect(report.leftIds).toHaveLength(20)
    expect(report.leftIds.every(id => alive(w, id))).toBe(true)
  })

  it('waits out the window it learned from a 429 when there is no deadline, and finishes', async () => {
    world = await startWorld({ writeRateLimitHeaders: false, writeLimitPerHour: 2, maxBulkIds: 10 })
    const w = world
    const ids = w.sim.state.addTokens(40, { user: DEMO }).map(t => t.id)
    const report = await revokeMany(w.client, ids, { initialChunkSize: 10, now: w.now, sleep: w.sleep })
    expect(report.outcomes.every(o => o.outcome === 'revoked')).toBe(true)
    expect(ids.filter(id => alive(w, id))).toEqual([])
  })
})

describe('an interruption', () => {
  it('during a budget wait ends the wait at once: what was not sent is left, what was sent keeps its outcome', async () => {
    world = await startWorld({ writeLimitPerHour: 1, maxBulkIds: 10 })
    const w = world
    const ids = w.sim.state.addTokens(30, { user: DEMO }).map(t => t.id)
    const controller = new AbortController()
    // A sleep that never ends by itself: only the abort can end the wait.
    const sleep = () => new Promise<void>(() => {})
    const waits: number[] = []
    const report = await revokeMany(w.client, ids, {
      initialChunkSize: 10,
      now: w.now,
      sleep,
      signal: controller.signal,
      onProgress: p => {
        if (p.waitingUntil !== undefined && waits.length === 0) {
          waits.push(p.waitingUntil)
          controller.abort()
        }
      }
    })
    expect(waits).toHaveLength(1)
    expect(report.outcomes.filter(o => o.outcome === 'revoked')).toHaveLength(10)
    expect(report.leftIds).toHaveLength(20)
    expect(
      report.outcomes.filter(o => o.outcome === 'left').every(o => o.reason?.includes('interrupted'))
    ).toBe(true)
  })
})
