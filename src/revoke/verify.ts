import type { FastlyTokensClient } from '../client/index.js'
import { listVisibleTokens } from './listing.js'
import { lookupTokens } from './lookups.js'

/**
 * After the writes: is each id really gone? A 204 from the bulk endpoint only proves the request
 * was accepted; a server that skips ids it cannot revoke answers 204 too. Reads are free, so the
 * engine lists the tokens again: an id the list showed before must be absent now. Ids the list
 * may never show (another user's, found by a superuser's lookup) are looked up one by one: 404
 * now means gone.
 */

export type Verdict = 'gone' | 'still-there' | 'unverified'

export interface VerifyResult {
  verdicts: Map<string, { verdict: Verdict; why?: string }>
  reads: number
}

export async function verifyGone(
  client: FastlyTokensClient,
  ids: readonly string[],
  /** Ids whose absence from the list proves them gone (see confirmRevocations); the others are looked up. */
  listProves: (id: string) => boolean,
  options: { customerId?: string; deadline?: number; signal?: AbortSignal; lookupConcurrency?: number }
): Promise<VerifyResult> {
  const verdicts: VerifyResult['verdicts'] = new Map()
  let reads = 0
  if (ids.length === 0) return { verdicts, reads }

  const listed = ids.filter(listProves)
  let toLookUp = ids.filter(id => !listProves(id))
  if (listed.length > 0) {
    reads += 1
    const listing = await listVisibleTokens(client, options)
    if (listing.ok) {
      for (const id of listed) {
        verdicts.set(
          id,
          listing.ids.has(id) ? { verdict: 'still-there', why: 'still listed' } : { verdict: 'gone' }
        )
      }
    } else {
      toLookUp = [...listed, ...toLookUp]
    }
  }
  if (toLookUp.length > 0) {
    const looked = await lookupTokens(client, toLookUp, {
      concurrency: options.lookupConcurrency,
      deadline: options.deadline,
      signal: options.signal
    })
    reads += looked.reads
    for (const [id, result] of looked.results) {
      if (result.kind === 'not-found') verdicts.set(id, { verdict: 'gone' })
      else if (result.kind === 'exists') verdicts.set(id, { verdict: 'still-there', why: 'still exists' })
      else verdicts.set(id, { verdict: 'unverified', why: result.reason })
    }
  }
  return { verdicts, reads }
}
