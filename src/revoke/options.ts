import type { RevokeProgress } from './report.js'

export interface RevokeManyOptions {
  /** List and verify with the customer's token list (superusers) instead of the caller's own. */
  customerId?: string
  /** Epoch ms: no wait for a rate-limit reset past it, and no request ending after it. */
  deadline?: number
  /** First bulk size (default 1000); the server's cap is learned by halving on a size refusal. */
  initialChunkSize?: number
  /** List after revoking and confirm none of the revoked ids survive (default true). */
  verify?: boolean
  /** Plan with reads only; spend no write. */
  dryRun?: boolean
  /**
   * Revoke the token making the requests too, when it is on the list (last, see self-last.ts).
   * Default false: an audit union piped into a revocation easily holds the responder's own token,
   * and revoking it ends the responder's access; it gets the outcome 'skipped-self' instead.
   */
  includeSelf?: boolean
  onProgress?: (progress: RevokeProgress) => void
  /** Told at once of what the responder should know before the writes (a refused customer list). */
  onNote?: (note: string) => void
  /** Writes to leave unspent in the hour's budget (default 0). */
  reserveWrites?: number
  signal?: AbortSignal
  /** Clock and sleep for rate-limit waits; use the client's retry clock (default Date.now / a timer). */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  /** Parallel reads for lookups (default 16). */
  lookupConcurrency?: number
  /**
   * Settle ids that a refusal names in its message at once (default true). false ignores the
   * names and bisects, for servers whose messages cannot be trusted to name the culprits.
   */
  trustNamedIds?: boolean
}

/** Bad options are refused before any request, naming the option and what it expects. */
export function checkRevokeManyOptions(options: RevokeManyOptions): void {
  const { customerId, deadline, initialChunkSize, reserveWrites } = options
  if (
    customerId !== undefined &&
    (typeof customerId !== 'string' || !/^[A-Za-z0-9]{1,64}$/.test(customerId))
  ) {
    throw new TypeError('customerId must be a customer id (letters and digits)')
  }
  if (deadline !== undefined && !Number.isFinite(deadline)) {
    throw new TypeError('deadline must be an epoch time in milliseconds')
  }
  if (initialChunkSize !== undefined && (!Number.isSafeInteger(initialChunkSize) || initialChunkSize < 1)) {
    throw new TypeError(`initialChunkSize must be a positive integer, got ${String(initialChunkSize)}`)
  }
  if (reserveWrites !== undefined && (!Number.isSafeInteger(reserveWrites) || reserveWrites < 0)) {
    throw new TypeError(`reserveWrites must be an integer >= 0, got ${String(reserveWrites)}`)
  }
}
