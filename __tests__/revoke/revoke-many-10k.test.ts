/**
 * The bar: 10,000 ids, 200 of them bogus, a bulk cap the client is not told, each bulk
 * policy. Every good id revoked and verified, every bogus id reported with its reason, and the
 * write requests (counted by the simulator) within the stated bounds.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { revokeMany, type RevokeReport } from '../../src/revoke/index.js'
import type { BulkPolicy } from '../../src/simulator/index.js'
import { bogusIds, DEMO, interleave, lastSeq, startWorld, writesLogged, type World } from './world.js'

let world: World

beforeAll(async () => {
  world = await startWorld({ writeLimitPerHour: 5000 })
})
afterAll(async () => {
  await world.close()
})

interface Scenario {
  policy: BulkPolicy
  cap: number
  faults?: Parameters<World['sim']['state']['faults']['push']>[0][]
  trustNamedIds?: boolean
}

async function runScenario(
  s: Scenario
): Promise<{ report: RevokeReport; good: string[]; bad: string[]; writes: number }> {
  const { sim } = world
  sim.state.clock.advance(3_600_000) // a fresh rate-limit window for each scenario
  sim.state.faults = s.faults ?? []
  sim.state.settings.bulkPolicy = s.policy
  sim.state.settings.maxBulkIds = s.cap
  const good = sim.state.addTokens(9800, { user: DEMO, name: `leaked-${s.policy}-${s.cap}` }).map(t => t.id)
  const bad = bogusIds(200)
  const usedBefore = sim.state.writesUsed(DEMO)
  const seq = lastSeq(sim)
  const report = await revokeMany(world.client, interleave(good, bad), {
    now: world.now,
    sleep: world.sleep,
    ...(s.trustNamedIds === undefined ? {} : { trustNamedIds: s.trustNamedIds })
  })
  const writes = sim.state.writesUsed(DEMO) - usedBefore
  expect(writesLogged(sim, seq)).toBe(writes)
  expect(report.writes).toBe(writes)
  sim.state.faults = []
  return { report, good, bad, writes }
}

function expectAllResolved(
  r: { report: RevokeReport; good: string[]; bad: string[] },
  verified: boolean
): void {
  const byId = new Map(r.report.outcomes.map(o => [o.id, o]))
  expect(r.report.outcomes).toHaveLength(10_000)
  expect(r.report.complete).toBe(true)
  expect(r.report.leftIds).toEqual([])
  const goodWrong = r.good.filter(id => {
    const o = byId.get(id)!
    return o.outcome !== 'revoked' || o.verified !== verified
  })
  expect(goodWrong).toEqual([])
  for (const id of r.bad) {
    expect(byId.get(id)).toMatchObject({
      id,
      outcome: 'not-found',
      reason: expect.stringContaining('HTTP 404')
    })
  }
  const alive = new Set(world.sim.state.tokens().map(t => t.id))
  expect(r.good.filter(id => alive.has(id))).toEqual([])
}

const listingBound = (cap: number) => Math.ceil(9800 / cap) + Math.ceil(Math.log2(10_000 / cap)) + 1
const refusedBound = (cap: number) => Math.ceil(10_000 / cap) + 200 * Math.ceil(Math.log2(cap))

describe('10,000 ids with 200 bogus, listing available', () => {
  for (const policy of ['all-or-nothing', 'skip-unknown'] as const) {
    for (const cap of [500, 300]) {
      it(`${policy}, cap ${cap}: reads settle the bogus ids; writes <= ceil(9800/cap) + ceil(log2(10000/cap)) + 1`, async () => {
        const r = await runScenario({ policy, cap })
        expectAllResolved(r, true)
        expect(r.writes).toBeLessThanOrEqual(listingBound(cap))
        expect(r.report.learnedCap).toBeLessThanOrEqual(cap)
      })
    }
  }
})

describe('10,000 ids with 200 bogus, listing refused', () => {
  it('all-or-nothing, cap 500, GET /tokens always 503: one probe shows refusals name ids, writes go blind', async () => {
    const r = await runScenario({
      policy: 'all-or-nothing',
      cap: 500,
      faults: [{ route: 'GET /tokens', kind: 'status5xx', status: 503 }]
    })
    expectAllResolved(r, true)
    expect(r.writes).toBeLessThanOrEqual(refusedBound(500))
  })

  it('all-or-nothing, cap 300, GET /tokens 503 while planning', async () => {
    const r = await runScenario({
      policy: 'all-or-nothing',
      cap: 300,
      faults: [{ route: 'GET /tokens', kind: 'status5xx', status: 503, times: 2 }]
    })
    expectAllResolved(r, true)
    expect(r.writes).toBeLessThanOrEqual(refusedBound(300))
  })

  it('skip-unknown, cap 500, GET /tokens 503 while planning: the probe is accepted, so every id is looked up first', async () => {
    const r = await runScenario({
      policy: 'skip-unknown',
      cap: 500,
      faults: [{ route: 'GET /tokens', kind: 'status5xx', status: 503, times: 2 }]
    })
    expectAllResolved(r, true)
    expect(r.writes).toBeLessThanOrEqual(refusedBound(500))
    expect(r.report.reads).toBeGreaterThanOrEqual(10_000)
  })

  it('all-or-nothing, cap 500, no read answers at all and refusals not trusted to name ids: bisection alone', async () => {
    const r = await runScenario({
      policy: 'all-or-nothing',
      cap: 500,
      faults: [{ route: 'GET *', kind: 'status5xx', status: 503 }],
      trustNamedIds: false
    })
    // Nothing can be read back, but the server was seen refusing unknown ids: its 204s vouch.
    expectAllResolved(r, false)
    expect(r.writes).toBeLessThanOrEqual(refusedBound(500))
  })

  it('skip-unknown with no read answers at all: claims nothing it cannot prove', async () => {
    const r = await runScenario({
      policy: 'skip-unknown',
      cap: 500,
      faults: [{ route: 'GET *', kind: 'status5xx', status: 503 }]
    })
    expect(r.report.outcomes.filter(o => o.outcome === 'revoked')).toEqual([])
    for (const o of r.report.outcomes) {
      expect(o).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('unconfirmed') })
    }
    expect(r.writes).toBeLessThanOrEqual(Math.ceil(10_000 / 500) + Math.ceil(Math.log2(10_000 / 500)) + 1)
  })
})
