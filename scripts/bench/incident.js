/**
 * Scenario 1, incident revocation: 10,000 ids of which 200 are well-formed but unknown, against a
 * simulator with 20 ms of latency per request, a bulk cap of 500 the client is not told, an
 * all-or-nothing bulk policy and 1,000 writes per hour. A fresh simulator per run, so that no run
 * inherits another's spent budget or revoked tokens.
 *
 * Compared: this project's revokeMany; the official client sending every id in one bulk request,
 * and one id per DELETE until the budget runs out; and a floor, a bare undici script that is told
 * the cap and needs no bisection: one list, ceil(9,800 / 500) bulk writes, one list to verify.
 */
import { ratio, summarize, tallyOutcomes } from './stats.js'

const USER = 'demo@example.com'
const GOOD = 9800
const BOGUS = 200
const LATENCY_MS = 20
const CAP = 500
const LIMIT_PER_HOUR = 1000
const SIM_OPTIONS = {
  seed: 1,
  latencyMs: LATENCY_MS,
  maxBulkIds: CAP,
  bulkPolicy: 'all-or-nothing',
  writeLimitPerHour: LIMIT_PER_HOUR
}
const FLOOR_WRITES = Math.ceil(GOOD / CAP)
/** Writes plus the two lists (before and after), each one round trip of the added latency. */
const FLOOR_LATENCY_MS = (FLOOR_WRITES + 2) * LATENCY_MS

/** Well-formed (22 letters and digits) ids the simulator never minted. */
function bogusIds() {
  return Array.from({ length: BOGUS }, (_, i) => `bogus${String(i).padStart(17, '0')}`)
}

/** One bogus id after every 49 good ones, so that every bulk chunk holds some. */
function interleave(good, bad) {
  const out = []
  const every = Math.floor(good.length / bad.length)
  let b = 0
  good.forEach((id, i) => {
    out.push(id)
    if ((i + 1) % every === 0 && b < bad.length) out.push(bad[b++])
  })
  return out.concat(bad.slice(b))
}

/** A fresh simulator with the responder's token and 9,800 tokens to revoke. */
async function freshWorld(host) {
  const { url } = await host.call('start', { options: SIM_OPTIONS, alignToHourStart: true })
  const responder = await host.call('addToken', { user: USER, name: 'responder', scope: 'global' })
  const good = await host.call('addTokenIds', { count: GOOD, seed: { user: USER, name: 'leaked' } })
  await host.call('resetCounts')
  return { url, token: responder.access_token, good, ids: interleave(good, bogusIds()) }
}

async function settle(host, good) {
  const [writes, counts, live] = await Promise.all([
    host.call('writesUsed', USER),
    host.call('counts'),
    host.call('countLive', good)
  ])
  return { writes, reads: counts.reads, revokedPerSimulator: good.length - live }
}

export const jobs = {
  /** Nothing but Node and undici loaded: what every worker's peak RSS starts from. */
  async idle() {
    await import('undici')
    return {}
  },

  async ours({ url, token, ids }) {
    const { FastlyTokensClient } = await import('../../lib/index.js')
    const { revokeMany } = await import('../../lib/revoke/index.js')
    const client = new FastlyTokensClient({ apiToken: token, baseUrl: url, env: {} })
    globalThis.gc?.()
    const started = performance.now()
    const report = await revokeMany(client, ids)
    const wallMs = performance.now() - started
    await client.close()
    const { tally, verified } = tallyOutcomes(report.outcomes)
    return {
      wallMs,
      verified,
      outcomes: tally,
      engineWrites: report.writes,
      engineReads: report.reads,
      learnedCap: report.learnedCap ?? null,
      complete: report.complete
    }
  },

  /** The floor: told the cap, so no learning and no bisection; bare undici requests. */
  async floor({ url, token, ids }) {
    const { Agent, request } = await import('undici')
    const dispatcher = new Agent()
    const headers = { 'Fastly-Key': token, Accept: 'application/json' }
    const list = async () => {
      const res = await request(`${url}/tokens`, { dispatcher, headers })
      return new Set((await res.body.json()).map(t => t.id))
    }
    globalThis.gc?.()
    const started = performance.now()
    const before = await list()
    const existing = ids.filter(id => before.has(id))
    for (let i = 0; i < existing.length; i += CAP) {
      const data = existing.slice(i, i + CAP).map(id => ({ type: 'token', id }))
      const res = await request(`${url}/tokens`, {
        dispatcher,
        method: 'DELETE',
        headers: { ...headers, 'Content-Type': 'application/vnd.api+json; ext=bulk' },
        body: JSON.stringify({ data })
      })
      await res.body.dump()
      if (res.statusCode !== 204) throw new Error(`floor: bulk revoke answered ${res.statusCode}`)
    }
    const after = await list()
    const wallMs = performance.now() - started
    await dispatcher.close()
    return { wallMs, verified: existing.filter(id => !after.has(id)).length }
  },

  /** The official client, every id in one bulk request, as its API invites. */
  async officialBulk({ url, token, ids }) {
    const { officialClient, statusOf, messageOf } = await import('./peers/fastly-official.js')
    const { tokens } = officialClient(url, token)
    globalThis.gc?.()
    const started = performance.now()
    let answer
    try {
      await tokens.bulkRevokeTokens({ request_body: { data: ids.map(id => ({ type: 'token', id })) } })
      answer = { status: 204 }
    } catch (error) {
      answer = { status: statusOf(error) ?? null, message: messageOf(error) }
    }
    return { wallMs: performance.now() - started, answer }
  },

  /** The official client, one DELETE /tokens/{id} per id, until the write budget answers 429. */
  async officialOneByOne({ url, token, ids }) {
    const { officialClient, statusOf, messageOf } = await import('./peers/fastly-official.js')
    const { tokens } = officialClient(url, token)
    globalThis.gc?.()
    const started = performance.now()
    let revoked = 0
    let notFound = 0
    let otherFailures = 0
    let stoppedBy
    let sent = 0
    for (const id of ids) {
      sent++
      try {
        await tokens.revokeToken({ token_id: id })
        revoked++
      } catch (error) {
        const status = statusOf(error)
        if (status === 429) {
          stoppedBy = { status, message: messageOf(error) }
          break
        }
        if (status === 404) notFound++
        else otherFailures++
      }
    }
    const wallMs = performance.now() - started
    return { wallMs, sent, revoked, notFound, otherFailures, stoppedBy: stoppedBy ?? null }
  }
}

/** Repeats one job on fresh simulators; returns every run's figures and the time summary. */
async function repeat(ctx, job, runs) {
  const samples = []
  for (let i = 0; i < runs; i++) {
    const world = await freshWorld(ctx.host)
    ctx.progress(`incident: ${job} run ${i + 1}/${runs}`)
    const { result, maxRssKiB } = await ctx.runWorker('incident', job, world)
    samples.push({ ...result, maxRssKiB, ...(await settle(ctx.host, world.good)) })
  }
  return {
    runs: samples,
    wallMs: summarize(samples.map(s => s.wallMs)),
    maxRssKiB: summarize(samples.map(s => s.maxRssKiB))
  }
}

export async function run(ctx) {
  const runs = ctx.quick ? 2 : 5
  const ours = await repeat(ctx, 'ours', runs)
  const floor = await repeat(ctx, 'floor', runs)
  const officialBulk = await repeat(ctx, 'officialBulk', ctx.quick ? 1 : 3)
  // One run: it is bounded by the budget (1,000 writes x 20 ms) and its figures do not vary.
  const officialOneByOne = await repeat(ctx, 'officialOneByOne', 1)

  const { maxRssKiB: idleRssKiB } = await ctx.runWorker('incident', 'idle', {})

  const last = ours.runs.at(-1)
  const oneByOne = officialOneByOne.runs[0]
  const total = GOOD + BOGUS
  const windows = Math.ceil(total / LIMIT_PER_HOUR)
  const perRequestMs = oneByOne.wallMs / Math.max(1, oneByOne.sent)
  // Every window after the first starts an hour after the one before; the last one's requests
  // take as long as measured here.
  const extrapolatedMs = (windows - 1) * 3_600_000 + (total - (windows - 1) * LIMIT_PER_HOUR) * perRequestMs

  return {
    setup: {
      ids: total,
      good: GOOD,
      bogus: BOGUS,
      latencyMs: LATENCY_MS,
      maxBulkIds: CAP,
      bulkPolicy: 'all-or-nothing',
      writeLimitPerHour: LIMIT_PER_HOUR,
      runs,
      idleWorkerRssKiB: idleRssKiB
    },
    floor: {
      writes: FLOOR_WRITES,
      latencyMs: FLOOR_LATENCY_MS,
      measured: floor
    },
    ours: {
      ...ours,
      writes: summarize(ours.runs.map(r => r.writes)),
      verified: last.verified,
      revokedPerSimulator: last.revokedPerSimulator,
      outcomes: last.outcomes,
      reads: last.reads,
      learnedCap: last.learnedCap,
      complete: last.complete,
      writesVsFloor: ratio(last.writes, FLOOR_WRITES),
      timeVsMeasuredFloor: ratio(ours.wallMs.median, floor.wallMs.median),
      timeVsLatencyFloor: ratio(ours.wallMs.median, FLOOR_LATENCY_MS)
    },
    officialBulk: {
      ...officialBulk,
      answer: officialBulk.runs[0].answer,
      revoked: officialBulk.runs[0].revokedPerSimulator,
      writes: officialBulk.runs[0].writes
    },
    officialOneByOne: {
      ...officialOneByOne,
      sent: oneByOne.sent,
      revoked: oneByOne.revokedPerSimulator,
      notFound: oneByOne.notFound,
      otherFailures: oneByOne.otherFailures,
      stoppedBy: oneByOne.stoppedBy,
      writes: oneByOne.writes,
      windowsNeeded: windows,
      extrapolatedMs
    }
  }
}
