/**
 * One mint per ID token: each `jti` is held from the moment a request with it is verified until
 * the token expires (plus the clock skew the verifier allows). A jti is given back only when the
 * broker is sure no token was minted for it (refused by policy, rate limited, Fastly unreachable),
 * so the caller may retry those with the same ID token; after a mint, or a mint whose outcome is
 * unknown, it stays spent. Per instance: see docs/broker.md on horizontal scaling.
 */
export const DEFAULT_MAX_ENTRIES = 100_000

export class ReplayCache {
  readonly #held = new Map<string, number>()
  readonly #maxEntries: number

  constructor(maxEntries = DEFAULT_MAX_ENTRIES) {
    this.#maxEntries = maxEntries
  }

  get size(): number {
    return this.#held.size
  }

  /** 'held' when the jti is new (and is now held until `untilMs`), 'replayed' when it was seen,
   *  'full' when the cache cannot hold another live jti. */
  claim(jti: string, untilMs: number, nowMs: number): 'held' | 'replayed' | 'full' {
    const until = this.#held.get(jti)
    if (until !== undefined && until > nowMs) return 'replayed'
    if (this.#held.size >= this.#maxEntries) this.#sweep(nowMs)
    if (this.#held.size >= this.#maxEntries) return 'full'
    this.#held.set(jti, untilMs)
    return 'held'
  }

  release(jti: string): void {
    this.#held.delete(jti)
  }

  /** Drops expired entries; the map is insertion ordered, and sweeping all of it is rare. */
  #sweep(nowMs: number): void {
    for (const [jti, until] of this.#held) if (until <= nowMs) this.#held.delete(jti)
  }

  /** Called on a timer so memory follows the live tokens, not the peak. */
  sweep(nowMs: number): void {
    this.#sweep(nowMs)
  }
}
