import type { FastlyTokensClient } from '../client/index.js'
import type { Token } from '../types.js'
import {
  EndpointProofError,
  isApiGone,
  isNotTheApi,
  notTheApiLine,
  type ShapedFailure
} from './endpoint-proof.js'
import { describeFailure } from './refusal.js'
import { scrubValue } from './value-scrub.js'

/**
 * The free read of each leaked value: GET /tokens/self authenticated with the value itself.
 * It says which token the value is (id, name, owner) without spending a write, and a Fastly
 * 401/404 says the value is no longer live. Reads are not rate-limited, so they run many at once.
 *
 * The answers must be the API's: the first answer that is not (an HTML page, a redirect, a body
 * that is not a token) stops the whole run with EndpointProofError, before any write, so a wrong
 * endpoint can never make a live value look gone.
 */

export type ValueRead =
  | { kind: 'token'; token: Token }
  /** The API itself no longer knows the value (a Fastly 401/404). */
  | { kind: 'gone'; reason: string }
  /** No usable answer (a 5xx, no answer, a 403 for a limited token): the value still gets its own write. */
  | { kind: 'unread'; reason: string }

export async function readValues(
  base: FastlyTokensClient,
  values: ReadonlyMap<number, string>,
  options: { concurrency?: number; deadline?: number; signal?: AbortSignal }
): Promise<{ reads: Map<number, ValueRead>; count: number }> {
  const call = { deadline: options.deadline, signal: options.signal }
  const reads = new Map<number, ValueRead>()
  const queue = [...values.keys()]
  let count = 0
  let proofFailure: EndpointProofError | undefined

  const worker = async (): Promise<void> => {
    for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
      if (proofFailure) return
      const value = values.get(index)!
      if (options.signal?.aborted) {
        reads.set(index, { kind: 'unread', reason: 'aborted' })
        continue
      }
      const leaked = base.withToken(value)
      count += 1
      try {
        reads.set(index, { kind: 'token', token: await leaked.getTokenCurrent(call) })
      } catch (error) {
        const failure = error as ShapedFailure
        const reason = scrubValue(describeFailure(failure), value)
        if (isNotTheApi(failure)) {
          proofFailure ??= new EndpointProofError(
            notTheApiLine('GET /tokens/self with a leaked value', reason),
            'not-the-api',
            failure
          )
          return
        }
        reads.set(index, isApiGone(failure) ? { kind: 'gone', reason } : { kind: 'unread', reason })
      } finally {
        await leaked.close()
      }
    }
  }
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 16, values.size))
  await Promise.all(Array.from({ length: concurrency }, worker))
  if (proofFailure) throw proofFailure
  return { reads, count }
}
