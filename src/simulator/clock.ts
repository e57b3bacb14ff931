/** Anything that can tell the time in epoch milliseconds (Date, a fake, a test's own clock). */
export interface ClockSource {
  now(): number
}

/**
 * The simulator's "now": a base clock plus an offset that tests move. Every time-dependent rule
 * (token expiry, sudo grants, rate-limit windows, TOTP steps, timestamps in answers) reads this
 * one clock, so advancing it moves the whole simulated world at once without sleeping.
 */
export class SimClock {
  readonly #base: ClockSource
  #offsetMs = 0

  constructor(base: ClockSource = Date) {
    this.#base = base
  }

  now(): number {
    return this.#base.now() + this.#offsetMs
  }

  /** Moves simulated time forward (or back, with a negative value). */
  advance(ms: number): void {
    if (!Number.isFinite(ms)) throw new TypeError(`clock.advance(ms): expected a finite number, got ${ms}`)
    this.#offsetMs += ms
  }

  /** Makes "now" equal to the given epoch milliseconds; time keeps flowing from there. */
  set(epochMs: number): void {
    if (!Number.isFinite(epochMs)) {
      throw new TypeError(`clock.set(epochMs): expected a finite number, got ${epochMs}`)
    }
    this.#offsetMs = epochMs - this.#base.now()
  }

  /** Drops any advance/set so "now" follows the base clock again. */
  reset(): void {
    this.#offsetMs = 0
  }
}
