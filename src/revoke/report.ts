/**
 * What the revoke engine reports. One outcome per distinct input id, in input order, so that a
 * workflow summary, a CLI table and a JSON consumer all read the same thing.
 */

export type RevokeOutcomeKind =
  /** The API accepted a request covering this id and nothing contradicts it (see `verified`). */
  | 'revoked'
  /** The API does not know this id (404, or absent from the token list and a lookup answered 404). */
  | 'not-found'
  /** The API refused this id to this caller (403). */
  | 'forbidden'
  /** Not a token id at all; never sent. */
  | 'malformed'
  /** Anything else: another status, a network failure, or a revoke the verification contradicted. */
  | 'failed'
  /** Not attempted: the write budget or the deadline ran out. A second run finishes these. */
  | 'left'
  /** Dry run: would have been sent. */
  | 'would-revoke'
  /** The token making the requests, on the list but not revoked: only `includeSelf` revokes it. */
  | 'skipped-self'

export interface RevokeOutcome {
  id: string
  outcome: RevokeOutcomeKind
  /** For 'revoked': true when a read after the writes confirmed the token is gone. */
  verified?: boolean
  /** HTTP status and Fastly's message for failures; how an outcome was reached when not obvious. */
  reason?: string
  /** The token's name, owner (user id) and type, when a read before the writes showed them. */
  name?: string
  owner?: string
  type?: 'user' | 'automation'
}

export interface RevokeProgress {
  /** Ids with a final outcome so far. */
  done: number
  total: number
  revoked: number
  /** Settled, but neither revoked nor left (not found, forbidden, malformed, failed). */
  failed: number
  /** Settled as left: not attempted (budget, deadline, signal); a rerun finishes them. */
  left: number
  /** Write requests sent so far. */
  writes: number
  /** Set while the engine waits for the rate-limit window to reset (epoch ms). */
  waitingUntil?: number
}

export interface RevokeReport {
  outcomes: RevokeOutcome[]
  /** Write requests sent (bulk and single DELETEs, refused ones included). */
  writes: number
  /** Read requests sent (lists and lookups; not rate-limited). */
  reads: number
  /** The bulk size the server accepted, once a bigger one was refused: its cap as learned. Absent when nothing was refused. */
  learnedCap?: number
  /** True when a size refusal taught learnedCap: it is the server's cap, not only the size used. */
  capFound?: boolean
  /** Ids not attempted because the write budget or deadline ran out: pass them to a second run. */
  leftIds: string[]
  /** True when no id is left. */
  complete: boolean
  /** What the responder should know about the run (a refused customer list, a slow plan). */
  notes?: string[]
}

/** Tallies for a report, the progress callback and exit codes. */
export function countOutcomes(outcomes: readonly RevokeOutcome[]): Record<RevokeOutcomeKind, number> {
  const counts: Record<RevokeOutcomeKind, number> = {
    revoked: 0,
    'not-found': 0,
    forbidden: 0,
    malformed: 0,
    failed: 0,
    left: 0,
    'would-revoke': 0,
    'skipped-self': 0
  }
  for (const o of outcomes) counts[o.outcome] += 1
  return counts
}
