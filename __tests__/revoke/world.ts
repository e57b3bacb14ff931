/**
 * A simulator and a client pointed at it, sharing one clock: the engine's rate-limit waits, the
 * client's deadlines and the simulator's hourly windows all read the simulator's clock, and a
 * "sleep" advances it, so budget tests never really wait.
 */
import { FastlyTokensClient } from '../../src/client/index.js'
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js'

export const DEMO = 'demo@example.com'
export const ADMIN = 'admin@example.com'
/** 12:00:05 UTC: a run starts well inside a rate-limit window. */
export const START = Date.UTC(2030, 0, 15, 12, 0, 5)

export interface World {
  sim: Simulator
  client: FastlyTokensClient
  callerId: string
  now: () => number
  sleep: (ms: number) => Promise<void>
  slept: number[]
  clientFor(accessToken: string): FastlyTokensClient
  close(): Promise<void>
}

export async function startWorld(
  options: SimulatorOptions = {},
  caller: { user?: string; scope?: string } = {}
): Promise<World> {
  const sim = await startSimulator({ seed: 42, logLimit: 100_000, ...options })
  sim.state.clock.set(START)
  const slept: number[] = []
  const now = (): number => sim.state.clock.now()
  const sleep = async (ms: number): Promise<void> => {
    slept.push(ms)
    sim.state.clock.advance(ms)
  }
  const clients: FastlyTokensClient[] = []
  const clientFor = (accessToken: string): FastlyTokensClient => {
    const c = new FastlyTokensClient({
      apiToken: accessToken,
      baseUrl: sim.url,
      env: {},
      retry: { maxAttempts: 2, baseDelayMs: 0, sleep: async () => {}, now }
    })
    clients.push(c)
    return c
  }
  const token = sim.state.addToken({
    user: caller.user ?? DEMO,
    name: 'responder',
    scope: caller.scope ?? 'global'
  })
  return {
    sim,
    client: clientFor(token.access_token),
    callerId: token.id,
    now,
    sleep,
    slept,
    clientFor,
    async close() {
      for (const c of clients) await c.close()
      await sim.close()
    }
  }
}

/** Well-formed ids that no simulator will ever have minted. */
export function bogusIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `bogus${String(i).padStart(17, '0')}`)
}

/** `good` with one of `bad` after every `good.length / bad.length` ids. */
export function interleave(good: string[], bad: string[]): string[] {
  const out: string[] = []
  const every = Math.max(1, Math.floor(good.length / Math.max(1, bad.length)))
  let b = 0
  good.forEach((id, i) => {
    out.push(id)
    if ((i + 1) % every === 0 && b < bad.length) out.push(bad[b++]!)
  })
  return out.concat(bad.slice(b))
}

/** Write requests (non-GET) the simulator logged since `fromSeq`. */
export function writesLogged(sim: Simulator, fromSeq = 0): number {
  return sim.state.requests().filter(r => r.seq > fromSeq && r.method !== 'GET').length
}

export function lastSeq(sim: Simulator): number {
  const all = sim.state.requests()
  return all.length === 0 ? 0 : all[all.length - 1]!.seq
}
