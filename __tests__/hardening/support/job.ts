/**
 * One job as the runner runs it, against a fresh simulator: dist/main then dist/post as child
 * processes (scripts/run-action.js), step debug logging on, the main step's state handed to post.
 * Helpers for what every fault scenario needs: a clock placed in the hour (see shifted-clock.mjs),
 * a bounded pool so child processes never outnumber the cores by much, and the tokens a scenario
 * minted or seeded, for the "nothing left alive, nothing leaked" checks.
 */
import { fileURLToPath, pathToFileURL } from 'node:url'
import { runStep, type StepResult } from '../../../scripts/run-action.js'
import { startSimulator, type FaultRule, type Simulator } from '../../../src/simulator/index.js'
import type { Token } from '../../../src/types.js'
import { startFront, type FrontOverride, type LoopbackServer } from './loopback.js'

export const DEMO = { user: 'demo@example.com', password: 'demo-password' } as const
/** The default token name in the runner emulation's context: how a scenario's own tokens are told apart. */
export const MINTED_PREFIX = 'gha/octo-org/octo-repo/'

const HOUR = 3_600_000
const PRELOAD = pathToFileURL(fileURLToPath(new URL('./shifted-clock.mjs', import.meta.url))).href

/**
 * Where in the clock hour a step runs. `far`: at HH:10, so a rate-limit reset (the next full hour)
 * is 50 minutes away, beyond every deadline. `near`: 6 s before the hour, so the reset is waited out.
 */
export type ClockPlace = 'far' | 'near'

/** The offset that puts "now" at that place, at or after `notBefore` (world time never runs back). */
export function offsetFor(place: ClockPlace, notBefore = Date.now()): number {
  const hourStart = Math.floor(notBefore / HOUR) * HOUR
  let target = place === 'far' ? hourStart + 10 * 60_000 : hourStart + HOUR - 6_000
  if (target < notBefore) target += HOUR
  return target - Date.now()
}

/** The environment a step needs to run `offsetMs` ahead of (or behind) the real clock. */
export function clockEnv(offsetMs: number | undefined): Record<string, string> {
  if (offsetMs === undefined) return {}
  return { NODE_OPTIONS: `--import=${PRELOAD}`, HARDENING_CLOCK_OFFSET_MS: String(Math.round(offsetMs)) }
}

/** Runs `fn` over `items` with at most `limit` at a time, results in input order. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

export interface JobPlan {
  /** Simulator options beyond the defaults (the demo accounts). */
  readOnlySelfRevoke?: boolean
  /**
   * The step's inputs, given the simulator (to seed the tokens they name) and the api-url to use,
   * and the access tokens of what was seeded (secrets that must never show up anywhere).
   */
  setup(sim: Simulator, apiUrl: string): { inputs: Record<string, string>; secrets: Record<string, string> }
  /** Faults in force while main runs (and after, as an outage would be). */
  mainFaults?: FaultRule[]
  /** Faults added before post runs. */
  postFaults?: FaultRule[]
  mainClock?: ClockPlace
  postClock?: ClockPlace
  /** Put a recording pass-through front between the steps and the simulator. */
  tap?: boolean
  /** Routes the front answers itself or rewrites (implies the front). */
  front?: Record<string, FrontOverride>
  /** Runner variables for main (a broken runner file: a path, or undefined for unset). */
  mainEnv?: Record<string, string | undefined>
  /** The same for post. */
  postEnv?: Record<string, string | undefined>
  /** Signal main, as a runner does when the job is cancelled, once its stdout matches `line`. */
  signalWhen?: { signal: NodeJS.Signals; line: RegExp }
}

export interface JobRecord {
  main: StepResult
  post: StepResult
  inputs: Record<string, string>
  /** Tokens alive at the end. */
  alive: Token[]
  /** `METHOD route status [faults]` for every request the simulator answered (or dropped). */
  requests: string[]
  /** Bodies the front passed back for POST /tokens (tap only). */
  createAnswers: string[]
  /** World time (epoch ms) just before main started. */
  mainStartedAt: number
  /** Access tokens of everything seeded: none of them may show up anywhere. */
  seededSecrets: Record<string, string>
}

export async function runJob(plan: JobPlan): Promise<JobRecord> {
  const sim = await startSimulator({ seed: 5, readOnlySelfRevoke: plan.readOnlySelfRevoke ?? true })
  let front: LoopbackServer | undefined
  try {
    if (plan.tap || plan.front) front = await startFront(sim.url, plan.front ?? {})
    const { inputs, secrets: seededSecrets } = plan.setup(sim, front?.url ?? sim.url)

    const mainOffset = plan.mainClock ? offsetFor(plan.mainClock) : undefined
    if (mainOffset !== undefined) sim.state.clock.set(Date.now() + mainOffset)
    const mainStartedAt = Date.now() + (mainOffset ?? 0)
    sim.state.faults = [...(plan.mainFaults ?? [])]
    const main = await runStep({
      step: 'main',
      debug: true,
      inputs,
      env: { ...clockEnv(mainOffset), ...plan.mainEnv },
      ...(plan.signalWhen ? { signalWhen: plan.signalWhen } : {})
    })

    let postOffset = mainOffset
    if (plan.postClock) {
      postOffset = offsetFor(plan.postClock, Date.now() + (mainOffset ?? 0))
      sim.state.clock.set(Date.now() + postOffset)
    }
    sim.state.faults = [...sim.state.faults, ...(plan.postFaults ?? [])]
    const post = await runStep({
      step: 'post',
      debug: true,
      inputs,
      state: main.state,
      env: { ...clockEnv(postOffset), ...plan.postEnv }
    })
    sim.state.faults = []

    return {
      main,
      post,
      inputs,
      alive: sim.state.tokens(),
      requests: sim.state
        .requests()
        .map(r => `${r.method} ${r.route} ${r.status}${r.faults.length ? ` [${r.faults.join(',')}]` : ''}`),
      createAnswers: (front?.answers ?? [])
        .filter(a => a.method === 'POST' && a.url === '/tokens')
        .map(a => a.body),
      mainStartedAt,
      seededSecrets
    }
  } finally {
    await front?.close()
    await sim.close()
  }
}

/** Tokens the scenario's action run minted (named after the run), still alive. */
export function mintedAlive(record: JobRecord): Token[] {
  return record.alive.filter(t => t.name.startsWith(MINTED_PREFIX))
}
