/**
 * Scenario 2, client overhead: GET /tokens/self 2,000 times one after another, then 2,000 times
 * with 16 in flight, against the simulator with no added latency. The simulator runs in a process
 * of its own (sim-host.js), so it neither shares the event loop with the client under test nor
 * competes with it for the same core on a 2-core machine; each client runs in a fresh worker.
 *
 * Peers: this project's FastlyTokensClient.getTokenCurrent, the official client's
 * TokensApi.getTokenCurrent, and the floor: a bare undici.request loop on a keep-alive Agent that
 * parses the JSON body too, as every client must.
 */
import { ratio, summarize } from './stats.js'

const REQUESTS = 2000
const IN_FLIGHT = 16
/** Requests of each shape (in a row, in flight) before timing; fewer with --quick. */
const WARMUP = 1000
export const KINDS = ['bare', 'ours', 'official']

/** A `getTokenCurrent()` for each kind of client, and a `close()`. */
async function makeClient(kind, url, token) {
  if (kind === 'ours') {
    const { FastlyTokensClient } = await import('../../lib/index.js')
    const client = new FastlyTokensClient({ apiToken: token, baseUrl: url, env: {} })
    return { get: () => client.getTokenCurrent(), close: () => client.close() }
  }
  if (kind === 'official') {
    const { officialClient } = await import('./peers/fastly-official.js')
    const { tokens } = officialClient(url, token)
    return { get: () => tokens.getTokenCurrent(), close: async () => {} }
  }
  const { Agent, request } = await import('undici')
  const dispatcher = new Agent()
  const headers = { 'Fastly-Key': token, Accept: 'application/json' }
  const target = `${url}/tokens/self`
  return {
    async get() {
      const res = await request(target, { dispatcher, headers })
      const body = await res.body.json()
      if (res.statusCode !== 200) throw new Error(`GET /tokens/self answered ${res.statusCode}`)
      return body
    },
    close: () => dispatcher.close()
  }
}

/** `n` calls, `inFlight` at a time; counts answers that are not the expected token. */
async function drive(get, n, inFlight, expectedId) {
  let started = 0
  let wrong = 0
  const lane = async () => {
    while (started < n) {
      started++
      const token = await get()
      if (token.id !== expectedId) wrong++
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane))
  return wrong
}

export const jobs = {
  async loop({ kind, url, token, tokenId, requests, warmup }) {
    const client = await makeClient(kind, url, token)
    // Warm up both shapes of the loop: JIT, connection pool, the simulator's own paths.
    await drive(client.get, warmup, 1, tokenId)
    await drive(client.get, warmup, IN_FLIGHT, tokenId)
    const timed = async inFlight => {
      globalThis.gc?.()
      const cpu = process.cpuUsage()
      const t = performance.now()
      const wrong = await drive(client.get, requests, inFlight, tokenId)
      const ms = performance.now() - t
      const { user, system } = process.cpuUsage(cpu)
      if (wrong > 0) throw new Error(`${kind}: ${wrong} answers were not the caller's token`)
      return { ms, cpuMicros: user + system }
    }
    const sequential = await timed(1)
    const concurrent = await timed(IN_FLIGHT)
    await client.close()
    return {
      sequentialMs: sequential.ms,
      concurrentMs: concurrent.ms,
      sequentialCpuMicros: sequential.cpuMicros,
      concurrentCpuMicros: concurrent.cpuMicros
    }
  }
}

export async function run(ctx) {
  const rounds = ctx.quick ? 2 : 7
  const warmup = ctx.quick ? WARMUP / 2 : WARMUP
  const { url } = await ctx.host.call('start', { options: { seed: 2 } })
  const caller = await ctx.host.call('addToken', {
    user: 'demo@example.com',
    name: 'bench',
    scope: 'global:read'
  })
  const samples = Object.fromEntries(KINDS.map(kind => [kind, []]))
  const simulator = []
  for (let round = 0; round < rounds; round++) {
    // Rotate the order each round so that no client always runs first (or last) on a warm machine.
    const order = KINDS.map((_, i) => KINDS[(i + round) % KINDS.length])
    for (const kind of order) {
      ctx.progress(`client: ${kind} round ${round + 1}/${rounds}`)
      await ctx.host.call('resetCounts')
      const cpuBefore = await ctx.host.call('cpu')
      const { result } = await ctx.runWorker('client', 'loop', {
        kind,
        url,
        token: caller.access_token,
        tokenId: caller.id,
        requests: REQUESTS,
        warmup
      })
      const cpuAfter = await ctx.host.call('cpu')
      const served = (await ctx.host.call('counts')).reads
      samples[kind].push(result)
      simulator.push({ kind, served, cpuMicros: cpuAfter - cpuBefore, concurrentMs: result.concurrentMs })
    }
  }

  const figures = {}
  for (const kind of KINDS) {
    const runs = samples[kind]
    figures[kind] = {
      runs,
      sequentialMs: summarize(runs.map(r => r.sequentialMs)),
      concurrentMs: summarize(runs.map(r => r.concurrentMs)),
      sequentialMicrosPerRequest: summarize(runs.map(r => (r.sequentialMs * 1000) / REQUESTS)),
      concurrentRequestsPerSecond: summarize(runs.map(r => REQUESTS / (r.concurrentMs / 1000))),
      // The client process's own CPU (user + system) per request: less exposed than wall time to
      // whatever else the machine is doing, and the part a client can actually make cheaper.
      sequentialCpuMicrosPerRequest: summarize(runs.map(r => r.sequentialCpuMicros / REQUESTS)),
      concurrentCpuMicrosPerRequest: summarize(runs.map(r => r.concurrentCpuMicros / REQUESTS))
    }
  }
  const vsBare = (kind, key) => ratio(figures[kind][key].median, figures.bare[key].median)
  for (const kind of ['ours', 'official']) {
    figures[kind].sequentialVsFloor = vsBare(kind, 'sequentialMs')
    figures[kind].concurrentVsFloor = vsBare(kind, 'concurrentMs')
    figures[kind].sequentialCpuVsFloor = vsBare(kind, 'sequentialCpuMicrosPerRequest')
    figures[kind].concurrentCpuVsFloor = vsBare(kind, 'concurrentCpuMicrosPerRequest')
  }
  const cpuPerRequest = summarize(simulator.map(s => s.cpuMicros / s.served))
  return {
    setup: {
      requests: REQUESTS,
      inFlight: IN_FLIGHT,
      warmup: warmup * 2,
      rounds,
      simulator: 'child process'
    },
    ...figures,
    oursVsOfficial: {
      sequential: ratio(figures.ours.sequentialMs.median, figures.official.sequentialMs.median),
      concurrent: ratio(figures.ours.concurrentMs.median, figures.official.concurrentMs.median)
    },
    simulator: {
      // What it served to the fastest client with 16 in flight (the client's own time included).
      servedRequestsPerSecond: summarize(samples.bare.map(r => REQUESTS / (r.concurrentMs / 1000))),
      cpuMicrosPerRequest: cpuPerRequest,
      // Requests per second one core would serve at that CPU cost, if nothing else limited it.
      capacityPerCore: Math.round(1e6 / cpuPerRequest.median)
    }
  }
}
