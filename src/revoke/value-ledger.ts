import type { RevokeProgress } from './report.js'

/**
 * What the engine reports for one leaked value. A value never appears in an outcome, a reason or
 * an error: outcomes name values by their position in the input, and reasons are scrubbed of the
 * value even though the client already redacts it.
 */
export interface LeakedValueOutcome {
  /** Position of the value in the input (0-based; shown 1-based as "value #n"). */
  index: number
  tokenId?: string
  name?: string
  userId?: string
  /**
   * revoked: the API accepted the revocation. already-gone: the API itself (a Fastly 401/404) no
   * longer knows a value of token shape. malformed: not a token value (after stripping pasted
   * quotes, `KEY=`, `Bearer ` and the like), or one of another shape the API does not know; never
   * reported gone. left: not attempted (the write budget, the deadline or a signal); rerun.
   * would-revoke: a dry run's plan (the reads were made, no write): the reason says what they found.
   */
  outcome: 'revoked' | 'already-gone' | 'malformed' | 'failed' | 'left' | 'skipped-self' | 'would-revoke'
  /** For 'revoked': true when the value no longer authenticates afterwards (or the list no longer shows its id). */
  verified?: boolean
  reason?: string
}

export interface LeakedValuesReport {
  /** One per input position, input order; a repeated value gets the first one's outcome. */
  outcomes: LeakedValueOutcome[]
  /**
   * bulk: an admin token resolved the values with reads and revoked their ids in bulk. self: each
   * value revoked itself with DELETE /tokens/self (no admin token, or ids it could not revoke).
   */
  mode: 'bulk' | 'self'
  writes: number
  reads: number
  /** The server's bulk cap, set only when a size refusal taught it (as RevokeReport.capFound). */
  learnedCap?: number
  /** 1-based positions of the values left for a second run: positions, never values. */
  leftPositions: number[]
  complete: boolean
  notes?: string[]
  /** The one line an answer that was not the API's stopped the run with (see endpoint-proof.ts). */
  stoppedBy?: string
  /** A dry run: the values were read, nothing was written (outcomes 'would-revoke'). */
  dryRun?: true
}

type Settled = Omit<LeakedValueOutcome, 'index'>

/** The running account of one values run: the outcome of each distinct value, requests, progress. */
export class ValueLedger {
  private readonly outcomes = new Map<number, LeakedValueOutcome>()
  writes = 0
  reads = 0
  /** Set while a write budget waits for its window to reset (epoch ms). */
  waitingUntil: number | undefined
  readonly notes: string[] = []
  /** Set when an answer that was not the API's stopped the writes (the CLI exits 3 on it). */
  stoppedBy: string | undefined

  constructor(
    /** Index of the first occurrence of each distinct usable value, input order. */
    readonly distinct: readonly number[],
    private readonly onProgress?: (progress: RevokeProgress) => void
  ) {}

  settle(index: number, outcome: Settled): void {
    this.outcomes.set(index, { index, ...outcome })
  }

  outcomeOf(index: number): LeakedValueOutcome | undefined {
    return this.outcomes.get(index)
  }

  /** Distinct values without an outcome yet. */
  unsettled(): number[] {
    return this.distinct.filter(i => !this.outcomes.has(i))
  }

  /** The progress line: `extra` overlays the figures of a bulk revokeMany in flight. */
  progress(extra?: { done: number; revoked: number; failed: number; left: number; writes: number }): void {
    if (!this.onProgress) return
    let revoked = 0
    let failed = 0
    let left = 0
    let done = 0
    for (const i of this.distinct) {
      const o = this.outcomes.get(i)
      if (!o) continue
      done += 1
      if (o.outcome === 'revoked') revoked += 1
      else if (o.outcome === 'left') left += 1
      else if (o.outcome !== 'already-gone' && o.outcome !== 'skipped-self' && o.outcome !== 'would-revoke')
        failed += 1
    }
    const p: RevokeProgress = {
      done: done + (extra?.done ?? 0),
      total: this.distinct.length,
      revoked: revoked + (extra?.revoked ?? 0),
      failed: failed + (extra?.failed ?? 0),
      left: left + (extra?.left ?? 0),
      writes: this.writes + (extra?.writes ?? 0)
    }
    if (this.waitingUntil !== undefined) p.waitingUntil = this.waitingUntil
    this.onProgress(p)
  }

  /** Every input position with its outcome: repeats and unusable entries included. */
  report(
    count: number,
    firstOf: (index: number) => number,
    mode: LeakedValuesReport['mode'],
    learnedCap?: number,
    dryRun?: boolean
  ): LeakedValuesReport {
    const outcomes: LeakedValueOutcome[] = []
    for (let index = 0; index < count; index++) {
      const first = firstOf(index)
      const original = this.outcomes.get(first)!
      outcomes.push(
        first === index
          ? original
          : {
              ...original,
              index,
              reason: `same value as #${first + 1}${original.reason ? `: ${original.reason}` : ''}`
            }
      )
    }
    const leftPositions = outcomes.filter(o => o.outcome === 'left').map(o => o.index + 1)
    const r: LeakedValuesReport = {
      outcomes,
      mode,
      writes: this.writes,
      reads: this.reads,
      leftPositions,
      complete: leftPositions.length === 0
    }
    if (learnedCap !== undefined) r.learnedCap = learnedCap
    if (this.notes.length > 0) r.notes = [...this.notes]
    if (this.stoppedBy !== undefined) r.stoppedBy = this.stoppedBy
    if (dryRun === true) r.dryRun = true
    return r
  }
}
