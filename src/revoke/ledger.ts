import type { RevokeOutcome, RevokeProgress, RevokeReport } from './report.js'

/**
 * The running account of one revokeMany call, shared by its phases: the outcome settled for each
 * id so far, the requests spent, and the progress callback. Every phase writes here, so the
 * report and each progress call see the same figures.
 */
export class RevokeLedger {
  private readonly outcomes = new Map<string, RevokeOutcome>()
  /** Write requests sent, refused ones and the client's retries included. */
  writes = 0
  reads = 0
  /** Set while the write budget waits for the rate-limit window to reset (epoch ms). */
  waitingUntil: number | undefined
  /** What the plan told the responder (see RevokePlan.notes); kept in the report too. */
  readonly notes: string[] = []

  constructor(
    /** The distinct input ids, input order: the report's order. */
    private readonly order: readonly string[],
    private readonly onProgress?: (progress: RevokeProgress) => void
  ) {}

  /** Records (or replaces) the outcome of an id. */
  settle(outcome: RevokeOutcome): void {
    this.outcomes.set(outcome.id, outcome)
  }

  outcomeOf(id: string): RevokeOutcome | undefined {
    return this.outcomes.get(id)
  }

  /** The outcomes settled so far, in the order they were first settled. */
  settled(): IterableIterator<RevokeOutcome> {
    return this.outcomes.values()
  }

  progress(): void {
    if (!this.onProgress) return
    let revoked = 0
    let failed = 0
    let left = 0
    for (const o of this.outcomes.values()) {
      if (o.outcome === 'revoked') revoked += 1
      else if (o.outcome === 'left') left += 1
      else if (o.outcome !== 'would-revoke' && o.outcome !== 'skipped-self') failed += 1
    }
    const p: RevokeProgress = {
      done: this.outcomes.size,
      total: this.order.length,
      revoked,
      failed,
      left,
      writes: this.writes
    }
    if (this.waitingUntil !== undefined) p.waitingUntil = this.waitingUntil
    this.onProgress(p)
  }

  /** The report, once every id has an outcome. */
  report(learnedCap?: number): RevokeReport {
    const list = this.order.map(id => this.outcomes.get(id)!)
    const leftIds = list.filter(o => o.outcome === 'left').map(o => o.id)
    const r: RevokeReport = {
      outcomes: list,
      writes: this.writes,
      reads: this.reads,
      leftIds,
      complete: leftIds.length === 0
    }
    if (this.notes.length > 0) r.notes = [...this.notes]
    if (learnedCap !== undefined) r.learnedCap = learnedCap
    return r
  }
}
