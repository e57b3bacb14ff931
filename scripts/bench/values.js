/**
 * Scenario 4, leaked values in bulk: 1,000 leaked values of 10 owners (100 each), against a
 * simulator with 20 ms of latency per request, a bulk cap of 500 the client is not told and
 * 1,000 writes per user per hour. A fresh simulator per run.
 *
 * Compared: this project's revokeValues with an admin token (each value read with itself, then
 * the ids revoked in bulk through revokeMany), and the same engine without one, where each value
 * revokes itself: one write per value, the way every value was revoked before.
 */
import { ratio, summarize, tallyOutcomes } from './stats.js'

const ADMIN = 'admin@example.com'
const CUSTOMER = 'demoCustomer0000000000'
const OWNERS = 10
const EACH = 100
const LATENCY_MS = 20
const CAP = 500
const SIM_OPTIONS = { seed: 4, latencyMs: LATENCY_MS, maxBulkIds: CAP, writeLimitPerHour: 1000 }
const VALUES = OWNERS * EACH
/** The target of issue 11: ceil(1000 / cap) bulk writes, plus two for learning the cap. */
const TARGET_WRITES = Math.ceil(VALUES / CAP) + 2

async function freshWorld(host) {
  const { url } = await host.call('start', { options: SIM_OPTIONS, alignToHourStart: true })
  const admin = await host.call('addToken', { user: ADMIN, name: 'responder', scope: 'global' })
  const leaked = []
  for (let i = 0; i < OWNERS; i++) {
    const email = `owner${i}@example.com`
    await host.call('addUser', { email, password: 'owner-password', customerId: CUSTOMER })
    leaked.push(
      ...(await host.call('addTokenPairs', { count: EACH, seed: { user: email, name: `leaked-${i}` } }))
    )
  }
  await host.call('resetCounts')
  return {
    url,
    adminToken: admin.access_token,
    values: leaked.map(t => t.access_token),
    ids: leaked.map(t => t.id)
  }
}

async function revokeAll(job, { url, adminToken, values }) {
  const { FastlyTokensClient } = await import('../../lib/index.js')
  const { revokeValues } = await import('../../lib/revoke/index.js')
  const base = new FastlyTokensClient({ baseUrl: url, env: {} })
  const admin =
    job === 'bulk' ? new FastlyTokensClient({ apiToken: adminToken, baseUrl: url, env: {} }) : undefined
  globalThis.gc?.()
  const started = performance.now()
  const report = await revokeValues(base, values, admin ? { admin, customerId: CUSTOMER } : {})
  const wallMs = performance.now() - started
  await admin?.close()
  await base.close()
  const { tally, verified } = tallyOutcomes(report.outcomes)
  return {
    wallMs,
    verified,
    outcomes: tally,
    engineWrites: report.writes,
    learnedCap: report.learnedCap ?? null
  }
}

export const jobs = {
  bulk: params => revokeAll('bulk', params),
  oneByOne: params => revokeAll('oneByOne', params)
}

async function repeat(ctx, job, runs) {
  const samples = []
  for (let i = 0; i < runs; i++) {
    const world = await freshWorld(ctx.host)
    ctx.progress(`values: ${job} run ${i + 1}/${runs}`)
    const { result, maxRssKiB } = await ctx.runWorker('values', job, world)
    const [counts, live] = await Promise.all([ctx.host.call('counts'), ctx.host.call('countLive', world.ids)])
    samples.push({
      ...result,
      maxRssKiB,
      writes: counts.writes,
      reads: counts.reads,
      revokedPerSimulator: VALUES - live
    })
  }
  return {
    runs: samples,
    wallMs: summarize(samples.map(s => s.wallMs)),
    writes: summarize(samples.map(s => s.writes)),
    maxRssKiB: summarize(samples.map(s => s.maxRssKiB))
  }
}

export async function run(ctx) {
  const runs = ctx.quick ? 2 : 3
  const bulk = await repeat(ctx, 'bulk', runs)
  const oneByOne = await repeat(ctx, 'oneByOne', ctx.quick ? 1 : 2)
  const last = bulk.runs.at(-1)
  return {
    setup: {
      values: VALUES,
      owners: OWNERS,
      latencyMs: LATENCY_MS,
      maxBulkIds: CAP,
      runs,
      targetWrites: TARGET_WRITES
    },
    bulk: {
      ...bulk,
      verified: last.verified,
      revokedPerSimulator: last.revokedPerSimulator,
      outcomes: last.outcomes,
      reads: last.reads,
      learnedCap: last.learnedCap
    },
    oneByOne: {
      ...oneByOne,
      verified: oneByOne.runs.at(-1).verified,
      revokedPerSimulator: oneByOne.runs.at(-1).revokedPerSimulator
    },
    bulkVsOneByOne: {
      writes: ratio(bulk.writes.median, oneByOne.writes.median),
      time: ratio(bulk.wallMs.median, oneByOne.wallMs.median)
    }
  }
}
