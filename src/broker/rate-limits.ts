/**
 * Two limits in front of every mint. Per repository: a fixed window of N mints, so one busy or
 * compromised repository cannot spend the account's budget for everyone. Fastly's own write
 * budget: the `Fastly-RateLimit-Remaining`/`-Reset` the last write answer reported; once it falls
 * to the reserve, new mints wait for the reset instead of burning the budget to zero (the minting
 * user's budget is shared with whatever else it does). The headers may be missing on any answer:
 * then the broker knows nothing and does not guess.
 */
import type { RateLimitState } from '../types.js'

export class RepositoryLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>()

  constructor(
    readonly perWindow: number,
    readonly windowMs: number
  ) {}

  /** Counts one mint for the repository; when over, the seconds until its window ends. */
  take(repository: string, nowMs: number): { ok: true } | { ok: false; retryAfterS: number } {
    const start = Math.floor(nowMs / this.windowMs) * this.windowMs
    let window = this.#windows.get(repository)
    if (window === undefined || window.start !== start) {
      if (this.#windows.size > 10_000) this.#prune(start)
      window = { start, count: 0 }
      this.#windows.set(repository, window)
    }
    if (window.count >= this.perWindow) {
      return { ok: false, retryAfterS: Math.max(1, Math.ceil((start + this.windowMs - nowMs) / 1000)) }
    }
    window.count++
    return { ok: true }
  }

  /** Gives a mint back (nothing was minted: Fastly was unreachable, or refused before acting). */
  giveBack(repository: string): void {
    const window = this.#windows.get(repository)
    if (window !== undefined && window.count > 0) window.count--
  }

  #prune(currentStart: number): void {
    for (const [repo, window] of this.#windows) if (window.start !== currentStart) this.#windows.delete(repo)
  }
}

export class FastlyBudget {
  #state: RateLimitState | undefined

  constructor(readonly reserve: number) {}

  get state(): RateLimitState | undefined {
    return this.#state
  }

  /** What the last write answer said (nothing when it said nothing). */
  record(state: RateLimitState | undefined): void {
    if (state !== undefined) this.#state = state
  }

  /** Until the reset, while the budget left is at the reserve or below: the seconds to wait. */
  check(nowMs: number): { ok: true } | { ok: false; retryAfterS: number } {
    const state = this.#state
    if (state === undefined) return { ok: true }
    const resetMs = state.resetEpochSeconds * 1000
    if (resetMs <= nowMs) return { ok: true }
    if (state.remaining > this.reserve) return { ok: true }
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((resetMs - nowMs) / 1000)) }
  }

  /** A 429 from Fastly: nothing left until `resetAt`. */
  exhausted(resetAt: Date): void {
    this.#state = { remaining: 0, resetEpochSeconds: Math.ceil(resetAt.getTime() / 1000) }
  }
}
