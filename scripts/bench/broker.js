/**
 * Scenario 4, the keyless broker. Mint cost: POST /tokens straight to the simulator with the
 * module's client, against the same mint asked of the broker with requestBrokerToken (the broker
 * verifies the ID token, holds its jti, matches the policy and mints through the same client),
 * 16 in flight, alternating in each round. The simulator and the broker each run in a process of
 * their own, the caller in a fresh worker; ID tokens are signed before the clock starts. Run once
 * with the simulator answering at once (the broker's whole cost shows) and once with 20 ms added,
 * closer to a real mint over the internet. Verification: the broker's IdTokenVerifier on one
 * core (one process, one thread), the same RS256 token verified over and over for two seconds
 * after the key is cached.
 */
import { ProcessHost } from './processes.js'
import { ratio, summarize } from './stats.js'

const MINTS = 400
const WARMUP = 100
const IN_FLIGHT = 16
const LATENCIES_MS = [0, 20]
const VERIFY_MS = 2000

async function lanes(n, inFlight, one) {
  let started = 0
  const lane = async () => {
    while (started < n) {
      const i = started++
      await one(i)
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane))
}

export const jobs = {
  async mint({ kind, simUrl, brokerUrl, tokens, mints, warmup }) {
    const { FastlyTokensClient } = await import('../../lib/index.js')
    const { requestBrokerToken } = await import('../../lib/broker/index.js')
    const { Agent } = await import('undici')
    const client = new FastlyTokensClient({ baseUrl: simUrl, env: {} })
    const dispatcher = new Agent()
    const one =
      kind === 'direct'
        ? () =>
            client.createToken({
              username: 'demo@example.com',
              password: 'demo-password',
              name: 'bench-direct',
              scope: 'global',
              expiresAt: new Date(Date.now() + 3_600_000)
            })
        : i => requestBrokerToken({ brokerUrl, idToken: tokens[i], dispatcher })
    await lanes(warmup, IN_FLIGHT, i => one(i))
    globalThis.gc?.()
    const t = performance.now()
    await lanes(mints, IN_FLIGHT, i => one(warmup + i))
    const ms = performance.now() - t
    await client.close()
    await dispatcher.close()
    return { ms }
  },

  async verify({ seconds }) {
    const { IdTokenVerifier } = await import('../../lib/broker/id-token.js')
    const { IssuerKeys } = await import('../../lib/broker/issuer-keys.js')
    const { BENCH_AUDIENCE, startBenchIssuer } = await import('./bench-issuer.js')
    const { Agent } = await import('undici')
    const issuer = await startBenchIssuer()
    const dispatcher = new Agent()
    const keys = new IssuerKeys({ issuer: issuer.url, dispatcher })
    const verifier = new IdTokenVerifier({ issuer: issuer.url, audience: BENCH_AUDIENCE, keys })
    const [token] = await issuer.sign(1)
    for (let i = 0; i < 500; i++) await verifier.verify(token) // key fetched once, JIT warm
    const cpu = process.cpuUsage()
    const t = performance.now()
    let count = 0
    while (performance.now() - t < seconds * 1000) {
      await verifier.verify(token)
      count++
    }
    const ms = performance.now() - t
    const { user, system } = process.cpuUsage(cpu)
    await dispatcher.close()
    await issuer.close()
    return { count, ms, cpuMicros: user + system }
  }
}

export async function run(ctx) {
  const rounds = ctx.quick ? 2 : 5
  const mints = ctx.quick ? MINTS / 2 : MINTS
  const brokerHost = new ProcessHost('broker-host.js')
  const byLatency = {}
  try {
    for (const latencyMs of LATENCIES_MS) {
      const { url: simUrl } = await ctx.host.call('start', {
        options: { seed: 4, writeLimitPerHour: 1_000_000_000, latencyMs }
      })
      const { brokerUrl } = await brokerHost.call('start', { simUrl })
      const samples = { direct: [], broker: [] }
      const brokerCpu = []
      for (let round = 0; round < rounds; round++) {
        for (const kind of round % 2 === 0 ? ['direct', 'broker'] : ['broker', 'direct']) {
          ctx.progress(`broker: ${kind} mint, ${latencyMs} ms latency, round ${round + 1}/${rounds}`)
          const tokens = kind === 'broker' ? await brokerHost.call('sign', { count: WARMUP + mints }) : []
          const cpuBefore = await brokerHost.call('cpu')
          const { result } = await ctx.runWorker('broker', 'mint', {
            kind,
            simUrl,
            brokerUrl,
            tokens,
            mints,
            warmup: WARMUP
          })
          samples[kind].push(result.ms)
          // The broker process's own CPU per mint (warm-up included, so slightly high).
          if (kind === 'broker')
            brokerCpu.push(((await brokerHost.call('cpu')) - cpuBefore) / (WARMUP + mints))
        }
      }
      const perMint = list => summarize(list.map(ms => ms / mints))
      const direct = perMint(samples.direct)
      const broker = perMint(samples.broker)
      byLatency[latencyMs] = {
        directMsPerMint: direct,
        brokerMsPerMint: broker,
        directMintsPerSecond: summarize(samples.direct.map(ms => mints / (ms / 1000))),
        brokerMintsPerSecond: summarize(samples.broker.map(ms => mints / (ms / 1000))),
        brokerVsDirect: ratio(broker.median, direct.median),
        brokerCpuMicrosPerMint: summarize(brokerCpu)
      }
    }
  } finally {
    await brokerHost.stop()
  }
  const verifyRuns = []
  for (let round = 0; round < (ctx.quick ? 2 : 3); round++) {
    ctx.progress(`broker: ID-token verification, round ${round + 1}`)
    verifyRuns.push((await ctx.runWorker('broker', 'verify', { seconds: VERIFY_MS / 1000 })).result)
  }
  return {
    setup: { mints, warmup: WARMUP, inFlight: IN_FLIGHT, rounds, latenciesMs: LATENCIES_MS },
    byLatency,
    verification: {
      perSecond: summarize(verifyRuns.map(r => r.count / (r.ms / 1000))),
      cpuMicrosPerVerification: summarize(verifyRuns.map(r => r.cpuMicros / r.count)),
      // What one core would do at that CPU cost (the loop is serial, one verification at a time):
      // steadier than the wall-clock rate on a machine shared with other work.
      perCoreFromCpu: summarize(verifyRuns.map(r => 1e6 / (r.cpuMicros / r.count))),
      seconds: VERIFY_MS / 1000
    }
  }
}
