import type { FastlyTokensClient } from '../client/index.js'
import type { Token } from '../types.js'
import { isNotTheApi, type ShapedFailure } from './endpoint-proof.js'
import { describeFailure } from './refusal.js'

/**
 * Per-id reads (`GET /tokens/{id}`), for what a list cannot settle: ids absent from the caller's
 * list (another user's token that a superuser may still revoke, or no token at all), every id
 * when the list is refused, and verification of tokens the list does not show. Reads are not
 * rate-limited, so they run a few at a time; a run of failures that are not answers about the id
 * (5xx, network) stops the lookups early, rather than retrying thousands of reads against an
 * endpoint that is down.
 */

export type Lookup =
  | { kind: 'exists'; token: Token }
  | { kind: 'not-found'; reason: string }
  | { kind: 'forbidden'; reason: string }
  | { kind: 'unknown'; reason: string }

export interface LookupOptions {
  concurrency?: number
  deadline?: number
  signal?: AbortSignal
  /** Failures in a row (not 403/404) after which the remaining ids are left unknown. Default 8. */
  maxFailuresInARow?: number
}

export const DEFAULT_LOOKUP_CONCURRENCY = 16

export async function lookupTokens(
  client: FastlyTokensClient,
  ids: readonly string[],
  options: LookupOptions = {}
): Promise<{ results: Map<string, Lookup>; reads: number }> {
  const results = new Map<string, Lookup>()
  const limit = options.maxFailuresInARow ?? 8
  let reads = 0
  let failuresInARow = 0
  let stopped: string | undefined
  let next = 0

  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++]!
      if (stopped !== undefined || options.signal?.aborted) {
        results.set(id, { kind: 'unknown', reason: stopped ?? 'aborted' })
        continue
      }
      reads += 1
      try {
        const token = await client.getToken(id, { deadline: options.deadline, signal: options.signal })
        failuresInARow = 0
        results.set(id, { kind: 'exists', token })
      } catch (error) {
        const failure = error as ShapedFailure
        const reason = describeFailure(failure)
        // Only the API's own 403/404 say anything about the id; an HTML 404 is no answer at all.
        const fromApi = !isNotTheApi(failure)
        if (failure.status === 404 && fromApi) {
          failuresInARow = 0
          results.set(id, { kind: 'not-found', reason })
        } else if (failure.status === 403 && fromApi) {
          failuresInARow = 0
          results.set(id, { kind: 'forbidden', reason })
        } else {
          results.set(id, { kind: 'unknown', reason })
          // A 401 is about the caller, not the id: no other lookup can succeed either.
          if (failure.status === 401 || ++failuresInARow >= limit) {
            stopped = `lookups stopped after: ${reason}`
          }
        }
      }
    }
  }
  const concurrency = Math.max(1, Math.min(options.concurrency ?? DEFAULT_LOOKUP_CONCURRENCY, ids.length))
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { results, reads }
}
