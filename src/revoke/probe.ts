import type { FastlyTokensClient } from '../client/index.js'
import { describeFailure, idsNamedIn, type ApiFailureLike } from './refusal.js'

/**
 * One write to learn how the bulk endpoint treats an id it does not know, asked only when the
 * token list is refused and thousands of ids would otherwise need a lookup each.
 *
 * Fastly does not document it. If the server refuses the request and names the id, blind bulk
 * writes are cheap and exact (each refusal names its culprits, a 204 vouches for every id in it),
 * so the lookups can be skipped. If it refuses without naming, or accepts (204: it skips unknown
 * ids, so a 204 proves nothing per id), the engine looks every id up before writing.
 *
 * The probe id is well-formed but cannot be a real token: real ids are random base62.
 */
export const PROBE_ID = 'fastlyTokenActionProbe'

export type BulkPolicyVerdict = 'checks-and-names' | 'checks' | 'skips' | 'unknown'

export async function probeBulkPolicy(
  client: FastlyTokensClient,
  call: { deadline?: number; signal?: AbortSignal }
): Promise<{ verdict: BulkPolicyVerdict; writes: number; reason?: string }> {
  try {
    await client.bulkRevokeTokens([PROBE_ID], call)
    return { verdict: 'skips', writes: 1 }
  } catch (error) {
    const failure = error as ApiFailureLike & { attempts?: number }
    const writes = failure.attempts ?? 1
    const reason = describeFailure(failure)
    const status = failure.status
    if (status === 404 || status === 403 || status === 400 || status === 422) {
      const named = idsNamedIn(failure, new Set([PROBE_ID])).length > 0
      return { verdict: named ? 'checks-and-names' : 'checks', writes, reason }
    }
    return { verdict: 'unknown', writes, reason }
  }
}
