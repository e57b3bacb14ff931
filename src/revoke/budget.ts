import { setTimeout as delay } from 'node:timers/promises'
import type { RateLimitState } from '../types.js'

/**
 * Spending Fastly's write budget (about 1,000 non-GET requests per user per clock hour) on
 * purpose. Before each write it reads the budget the last write answer reported
 * (`Fastly-RateLimit-Remaining` / `-Reset`, kept by the client). When it is spent, it waits for
 * the window to reset if the caller's deadline allows the wait, and otherwise tells the engine
 * to stop, so the ids not yet sent are reported as left instead of being thrown at a 429.
 */

/** Slack after the announced reset, for clock skew between this machine and the API. */
export const RESET_MARGIN_MS = 1_000

export interface WriteBudgetOptions {
  /** Epoch ms: never wait past it, and send nothing after it. */
  deadline?: number
  /** Writes to leave unspent (e.g. for a later self-revocation of the token in use). Default 0. */
  reserve?: number
  now: () => number
  sleep: (ms: number) => Promise<void>
  /** Told before a wait, with the epoch ms it waits until. */
  onWait?: (until: number) => void
  /** Ends a wait at once (Ctrl-C during an hour's wait): the decision is then to stop. */
  signal?: AbortSignal
}

export type BudgetDecision = { go: true } | { go: false; why: string; resetAt?: number }

export class WriteBudget {
  private blockedUntil: number | undefined

  constructor(
    private readonly source: { readonly rateLimit?: RateLimitState | undefined },
    private readonly options: WriteBudgetOptions
  ) {}

  /** Resolves once a write may be sent (after a wait if one was needed and allowed), or says stop. */
  async acquire(): Promise<BudgetDecision> {
    const { deadline, now, sleep, onWait, signal } = this.options
    if (signal?.aborted) return { go: false, why: 'the run was interrupted' }
    if (deadline !== undefined && now() >= deadline) return { go: false, why: 'the deadline has passed' }
    const until = this.spentUntil()
    if (until === undefined) return { go: true }
    const wakeAt = until + RESET_MARGIN_MS
    if (deadline !== undefined && wakeAt > deadline) {
      return {
        go: false,
        why: `the write budget is spent until ${new Date(until).toISOString()}, after the deadline`,
        resetAt: until
      }
    }
    onWait?.(wakeAt)
    await abortable(sleep(Math.max(0, wakeAt - now())), signal)
    if (signal?.aborted) return { go: false, why: 'the run was interrupted', resetAt: until }
    this.blockedUntil = undefined
    return { go: true }
  }

  /** A 429 came back anyway (another job spending the same user's budget): block until its reset. */
  onRateLimited(resetAt: Date | undefined): void {
    const { now } = this.options
    this.blockedUntil = resetAt && resetAt.getTime() > now() ? resetAt.getTime() : now() + 60_000
  }

  /** When the budget comes back, if it is spent now; undefined when a write may go. */
  private spentUntil(): number | undefined {
    const now = this.options.now()
    if (this.blockedUntil !== undefined && now < this.blockedUntil) return this.blockedUntil
    const state = this.source.rateLimit
    if (!state) return undefined
    const resetMs = state.resetEpochSeconds * 1000
    // The last answer belongs to a window that is over: the budget is full again.
    if (now >= resetMs) return undefined
    return state.remaining > (this.options.reserve ?? 0) ? undefined : resetMs
  }
}

/** Resolves when `wait` does or the signal aborts, whichever comes first. */
function abortable(wait: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return wait
  if (signal.aborted) return Promise.resolve()
  return new Promise<void>(resolve => {
    const done = () => {
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
    void wait.then(done, done)
  })
}

/** The default sleep of a budget wait: a real timer, cancelled (not left pending) by the signal. */
export function timerSleep(signal: AbortSignal | undefined): (ms: number) => Promise<void> {
  return ms => delay(ms, undefined, { signal }).catch(() => undefined)
}
