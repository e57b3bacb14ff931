/**
 * Learning the server's bulk size cap. Fastly documents no limit for `DELETE /tokens`, and a
 * server that has one refuses the whole request (400) when it is exceeded, so the engine starts
 * at a generous size and learns from refusals instead of needing the cap configured:
 *
 * 1. Until a chunk is accepted, every size refusal halves the size (initial, initial/2, ...).
 * 2. Once a size worked (`lo`) and a bigger one was refused (`hi`), it probes a quarter of the way
 *    up from `lo`, but only while a success would save a write on the ids still waiting: a refused
 *    probe costs one wasted write, an accepted probe revokes its ids like any other chunk. The
 *    quarter step (rather than the middle) keeps every cap from 1 to 1000 within
 *    ceil(n / cap) + ceil(log2(n / cap)) + 1 writes for n = 10,000, checked in the tests.
 * 3. It never sends more than the initial size, so a server without a cap costs no refusal at all.
 *
 * 9,800 ids against a cap of 500, starting from 1000: refused 1000, 625 and 531, 23 writes in all.
 * Against a cap of 300: refused 1000, 500 and 312, settles on 291, 37 writes.
 */
export class ChunkSizer {
  private largestAccepted = 0
  private smallestRefused = Number.POSITIVE_INFINITY
  private readonly initial: number

  constructor(initialChunkSize: number) {
    if (!Number.isSafeInteger(initialChunkSize) || initialChunkSize < 1) {
      throw new RangeError(`initialChunkSize must be a positive integer, got ${String(initialChunkSize)}`)
    }
    this.initial = initialChunkSize
  }

  /** How many ids to put in the next bulk request when `waiting` ids are queued. */
  nextSize(waiting: number): number {
    if (waiting <= 0) return 0
    if (this.smallestRefused === Number.POSITIVE_INFINITY) return Math.min(waiting, this.initial)
    const lo = this.largestAccepted
    const hi = this.smallestRefused
    if (lo === 0) return Math.min(waiting, Math.max(1, Math.floor(hi / 2)))
    if (waiting <= lo) return waiting
    const probe = Math.max(lo + 1, Math.floor(lo + (hi - lo) / 4))
    if (probe >= hi) return lo
    const saved = Math.ceil(waiting / lo) - Math.ceil(waiting / probe)
    return saved >= 1 ? Math.min(probe, waiting) : lo
  }

  onAccepted(size: number): void {
    if (size > this.largestAccepted && size < this.smallestRefused) this.largestAccepted = size
  }

  onSizeRefused(size: number): void {
    if (size < this.smallestRefused) this.smallestRefused = size
    // A server that accepted this size before and refuses it now measures something else (bytes,
    // perhaps): stop trusting the old success and halve from here.
    if (this.largestAccepted >= size) this.largestAccepted = Math.floor(size / 2)
  }

  /** True once the server refused a size: the largest accepted size is then its cap, learned. */
  get capFound(): boolean {
    return this.smallestRefused !== Number.POSITIVE_INFINITY && this.largestAccepted > 0
  }

  /** The largest size accepted so far, if any. */
  get learnedCap(): number | undefined {
    return this.largestAccepted > 0 ? this.largestAccepted : undefined
  }
}
