import type { ChunkSizer } from './cap.js'
import { outcomeForStatus, type Refusal } from './refusal.js'

/**
 * The write plan for ids that need a bulk revoke: which ids go into the next request, and what
 * each answer means for them. Pure bookkeeping (no I/O), so the write bounds can be checked
 * against an in-memory server.
 *
 * A chunk refused because of some of its ids becomes a *suspect*: a group known to hold at least
 * one id the API refuses. A suspect is bisected: its first half is sent alone.
 * - Accepted: those ids are revoked, and the culprit must be in the second half, which becomes
 *   the suspect without a request of its own; a single remaining id is the culprit by deduction.
 * - Refused: the first half is the new suspect; the second half is no longer known to be guilty
 *   and goes back to the queue, where it rides along in the next full-size chunk instead of
 *   costing a half-empty request.
 * So each bad id costs about one request per halving (log2 of the chunk size), good ids are
 * never sent alone, and ids the API names in its message are settled at once without bisecting.
 */

export interface Attempt {
  ids: string[]
  /** True for the first half of a suspect group (bisection), false for a fresh chunk. */
  probe: boolean
}

export type AttemptResult = { kind: 'accepted' } | Refusal

export interface Settlement {
  id: string
  outcome: 'revoked' | 'not-found' | 'forbidden' | 'failed'
  reason?: string
}

/** Clean ids assumed seen before any evidence, so that one early bad id does not shrink chunks to 1. */
const DENSITY_PRIOR = 64

interface Suspect {
  ids: string[]
  status: number
  reason: string
}

interface Segment {
  ids: string[]
  at: number
}

export interface RevokeQueueOptions {
  /** Transient failures (5xx, network) an id may see before it is settled as failed. Default 2. */
  maxTransientAttempts?: number
}

export class RevokeQueue {
  private readonly queue: Segment[] = []
  private readonly retryLater: string[] = []
  private readonly suspects: Suspect[] = []
  private readonly strikes = new Map<string, number>()
  private readonly maxTransient: number
  private current: Attempt | undefined
  private acceptedIds = 0
  /** Bad ids found by bisection (not named by the API). */
  private refusedIds = 0
  /** True once the server refused a request because of an id: it checks ids, so its 204 vouches for them. */
  validatesIds = false

  constructor(
    ids: readonly string[],
    private readonly sizer: ChunkSizer,
    options: RevokeQueueOptions = {}
  ) {
    this.queue.push({ ids: [...ids], at: 0 })
    this.maxTransient = options.maxTransientAttempts ?? 2
  }

  /** Ids not yet settled (queued, suspected, awaiting a retry, or in the attempt being sent). */
  get waiting(): number {
    let n = this.retryLater.length
    for (const s of this.queue) n += s.ids.length - s.at
    for (const s of this.suspects) n += s.ids.length
    return n + (this.current && !this.current.probe ? this.current.ids.length : 0)
  }

  /** The next request to send, or undefined when every id is settled. Call settle() before next(). */
  next(): Attempt | undefined {
    if (this.current) throw new Error('RevokeQueue.next() called before the previous attempt was settled')
    while (this.suspects.length > 0) {
      const suspect = this.suspects[this.suspects.length - 1]!
      const half = suspect.ids.slice(0, Math.ceil(suspect.ids.length / 2))
      if (this.sizer.nextSize(half.length) < half.length) {
        // The cap shrank below this group's halves: it is no use bisecting by halves, so its ids
        // go back to the queue and are re-chunked at the new size (and bisected again if refused).
        this.suspects.pop()
        this.unshift(suspect.ids)
        continue
      }
      this.current = { ids: half, probe: true }
      return this.current
    }
    let waiting = this.queuedCount()
    if (waiting === 0 && this.retryLater.length > 0) {
      this.queue.push({ ids: this.retryLater.splice(0), at: 0 })
      waiting = this.queuedCount()
    }
    if (waiting === 0) return undefined
    const ids = this.take(Math.min(this.sizer.nextSize(waiting), this.densityLimit()))
    this.current = { ids, probe: false }
    return this.current
  }

  /** Records the answer to the attempt returned by next(); returns the ids it settled. */
  settle(result: AttemptResult): Settlement[] {
    const attempt = this.current
    if (!attempt) throw new Error('RevokeQueue.settle() called without an attempt')
    this.current = undefined
    const suspect = attempt.probe ? this.suspects[this.suspects.length - 1]! : undefined
    const rest = suspect ? suspect.ids.slice(attempt.ids.length) : []
    const out: Settlement[] = []

    switch (result.kind) {
      case 'accepted': {
        this.sizer.onAccepted(attempt.ids.length)
        this.acceptedIds += attempt.ids.length
        for (const id of attempt.ids) out.push({ id, outcome: 'revoked' })
        if (suspect) {
          suspect.ids = rest
          if (rest.length === 1) {
            this.suspects.pop()
            this.refusedIds += 1
            out.push({
              id: rest[0]!,
              outcome: outcomeForStatus(suspect.status),
              reason: `${suspect.reason} (isolated by bisection: the rest of its group was accepted)`
            })
          }
        }
        return out
      }
      case 'rate-limit':
        // Nothing learned: the same attempt comes up again once the budget allows.
        if (!suspect) this.unshift(attempt.ids)
        return out
      case 'size':
        if (attempt.ids.length > 1) {
          this.sizer.onSizeRefused(attempt.ids.length)
          if (!suspect) this.unshift(attempt.ids)
          return out
        }
        // A single id refused "for size" is not a size problem: settle it like any refusal.
        return this.settle1(attempt, suspect, rest, { ...result, kind: 'ids', namedIds: [] }, out)
      case 'ids':
        return this.settle1(attempt, suspect, rest, result, out)
      case 'transient': {
        if (suspect) {
          this.suspects.pop()
          this.unshift(rest)
        }
        for (const id of attempt.ids) {
          const n = (this.strikes.get(id) ?? 0) + 1
          this.strikes.set(id, n)
          if (n >= this.maxTransient) out.push({ id, outcome: 'failed', reason: result.reason })
          else this.retryLater.push(id)
        }
        return out
      }
      case 'auth':
        // The caller's own credentials were refused: every other write would fail the same way.
        if (suspect) this.suspects.pop()
        for (const id of [...attempt.ids, ...rest, ...this.drain()]) {
          out.push({ id, outcome: 'failed', reason: result.reason })
        }
        return out
    }
  }

  private settle1(
    attempt: Attempt,
    suspect: Suspect | undefined,
    rest: string[],
    result: Extract<Refusal, { kind: 'ids' }>,
    out: Settlement[]
  ): Settlement[] {
    if (result.status === 403 || result.status === 404) this.validatesIds = true
    const outcome = outcomeForStatus(result.status)
    if (suspect) this.suspects.pop()
    if (result.namedIds.length > 0) {
      const named = new Set(result.namedIds)
      for (const id of result.namedIds) out.push({ id, outcome, reason: result.reason })
      this.unshift([...attempt.ids.filter(id => !named.has(id)), ...rest])
      return out
    }
    if (suspect) this.unshift(rest)
    if (attempt.ids.length === 1) {
      this.refusedIds += 1
      out.push({ id: attempt.ids[0]!, outcome, reason: result.reason })
    } else {
      this.suspects.push({ ids: attempt.ids, status: result.status, reason: result.reason })
    }
    return out
  }

  /** Removes and returns every unsettled id: the engine reports them as left (or failed, on abort). */
  drain(): string[] {
    const ids: string[] = []
    if (this.current) {
      if (!this.current.probe) append(ids, this.current.ids)
      this.current = undefined
    }
    for (const s of this.suspects.splice(0)) append(ids, s.ids)
    for (const s of this.queue.splice(0)) append(ids, s.ids.slice(s.at))
    append(ids, this.retryLater.splice(0))
    return ids
  }

  /**
   * Once bad ids have turned up among blind writes, a full-size chunk is almost sure to hold one
   * and be refused. Sizing fresh chunks so that about half of them are clean (ln 2 / density, as in
   * adaptive group testing) keeps the cost near one bisection per bad id. Ids the API named are
   * not counted: they cost one write each whatever the chunk size.
   */
  private densityLimit(): number {
    if (this.refusedIds === 0) return Number.POSITIVE_INFINITY
    const density = this.refusedIds / (this.refusedIds + this.acceptedIds + DENSITY_PRIOR)
    return Math.max(1, Math.floor(Math.LN2 / density))
  }

  private queuedCount(): number {
    let n = 0
    for (const s of this.queue) n += s.ids.length - s.at
    return n
  }

  private unshift(ids: string[]): void {
    if (ids.length > 0) this.queue.unshift({ ids, at: 0 })
  }

  private take(n: number): string[] {
    const out: string[] = []
    while (out.length < n && this.queue.length > 0) {
      const seg = this.queue[0]!
      const part = seg.ids.slice(seg.at, seg.at + (n - out.length))
      append(out, part)
      seg.at += part.length
      if (seg.at >= seg.ids.length) this.queue.shift()
    }
    return out
  }
}

/** push(...from) without putting every id on the stack (a drain can hold the whole input). */
function append(to: string[], from: readonly string[]): void {
  for (const id of from) to.push(id)
}
