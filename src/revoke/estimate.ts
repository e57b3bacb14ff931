/**
 * What a long id list will cost, said before the first write: the bulk writes at the chunk size,
 * and the hours of write budget they span at Fastly's documented 1,000 writes per user per hour.
 * A smaller server cap multiplies the writes, so the note says what a cap of half would cost too.
 */

/** Fastly's documented write budget per user and clock hour. */
export const WRITES_PER_HOUR = 1000

/** Lists shorter than this finish in seconds; no estimate needed. */
export const ESTIMATE_FROM_IDS = 10_000

export interface CostEstimate {
  ids: number
  chunkSize: number
  writes: number
  /** The writes at half the chunk size, if the server caps bulk size there. */
  writesAtHalf: number
  /** Whole budget windows beyond the first the writes need (0: within one hour). */
  extraHours: number
}

export function estimateCost(ids: number, chunkSize: number): CostEstimate {
  const writes = Math.ceil(ids / chunkSize)
  const writesAtHalf = Math.ceil(ids / Math.max(1, Math.floor(chunkSize / 2)))
  return { ids, chunkSize, writes, writesAtHalf, extraHours: Math.floor((writes - 1) / WRITES_PER_HOUR) }
}

/** One line for a human, or undefined when the list is short. */
export function describeCost(ids: number, chunkSize: number): string | undefined {
  if (ids < ESTIMATE_FROM_IDS) return undefined
  const e = estimateCost(ids, chunkSize)
  const time =
    e.extraHours === 0
      ? 'within one hour of write budget'
      : `about ${e.extraHours + 1} hours of write budget (${WRITES_PER_HOUR} writes per user per hour)`
  return (
    `${ids.toLocaleString('en-US')} ids: about ${e.writes.toLocaleString('en-US')} bulk writes of ${chunkSize}, ` +
    `${time}; ${e.writesAtHalf.toLocaleString('en-US')} writes if the API caps bulk size at half that. ` +
    'Ids absent from the token list are looked up one read each first. --max-time bounds the run ' +
    'and --left-file keeps what is left.'
  )
}
