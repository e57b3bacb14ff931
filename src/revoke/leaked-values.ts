import type { FastlyTokensClient } from '../client/index.js'
import { describeFailure, type ApiFailureLike } from './refusal.js'

/**
 * Revoking leaked token *values*. Responders usually hold the leaked secret, not its id, and need
 * no admin rights to kill it: the value authenticates its own revocation (DELETE /tokens/self).
 * A GET /tokens/self first records which token it was (id, name, owner) for the report; afterwards
 * one more read confirms it no longer authenticates.
 *
 * A value never appears in an outcome, a reason or an error: outcomes name values by their index
 * in the input, and reasons are scrubbed of the value even though the client already redacts it.
 */

export interface LeakedValueOutcome {
  /** Position of the value in the input (0-based). */
  index: number
  tokenId?: string
  name?: string
  userId?: string
  /** revoked: DELETE /tokens/self answered 204. already-gone: the API no longer knows the value (401/404). */
  outcome: 'revoked' | 'already-gone' | 'failed'
  /** For 'revoked': true when the value no longer authenticates afterwards. */
  verified?: boolean
  reason?: string
}

export interface RevokeLeakedValuesOptions {
  deadline?: number
  signal?: AbortSignal
  /** Values handled at once (default 4). */
  concurrency?: number
  /** After revoking, check that the value no longer authenticates (default true). */
  verify?: boolean
}

function scrub(text: string, value: string): string {
  return value.length > 0 ? text.split(value).join('***') : text
}

const gone = (status: number | undefined): boolean => status === 401 || status === 404

export async function revokeLeakedValues(
  client: FastlyTokensClient,
  values: readonly string[],
  options: RevokeLeakedValuesOptions = {}
): Promise<LeakedValueOutcome[]> {
  const call = { deadline: options.deadline, signal: options.signal }
  const outcomes: LeakedValueOutcome[] = new Array(values.length)
  const firstIndex = new Map<string, number>()
  let next = 0

  const handle = async (index: number, value: string): Promise<LeakedValueOutcome> => {
    const out: LeakedValueOutcome = { index, outcome: 'failed' }
    let leaked: FastlyTokensClient
    try {
      leaked = client.withToken(value)
    } catch {
      // Whitespace inside, control characters: no API token looks like that, so none can be live.
      return {
        index,
        outcome: 'failed',
        reason: 'not a usable token value (empty, or with characters other than printable ASCII)'
      }
    }
    try {
      return await revokeWith(leaked, index, value, out)
    } finally {
      await leaked.close()
    }
  }

  const revokeWith = async (
    leaked: FastlyTokensClient,
    index: number,
    value: string,
    out: LeakedValueOutcome
  ): Promise<LeakedValueOutcome> => {
    try {
      const token = await leaked.getTokenCurrent(call)
      out.tokenId = token.id
      out.name = token.name
      out.userId = token.user_id
    } catch (error) {
      const failure = error as ApiFailureLike
      if (gone(failure.status)) {
        return { index, outcome: 'already-gone', reason: scrub(describeFailure(failure), value) }
      }
      // Could not read it (403, 5xx...): still try to revoke; the id just stays unknown.
    }
    try {
      await leaked.revokeTokenCurrent(call)
    } catch (error) {
      const failure = error as ApiFailureLike
      out.outcome = gone(failure.status) ? 'already-gone' : 'failed'
      out.reason = scrub(describeFailure(failure), value)
      return out
    }
    out.outcome = 'revoked'
    if (options.verify === false) return out
    try {
      await leaked.getTokenCurrent(call)
      out.outcome = 'failed'
      out.reason = 'DELETE /tokens/self answered 204, but the value still authenticates'
    } catch (error) {
      out.verified = gone((error as ApiFailureLike).status)
      if (!out.verified)
        out.reason = `not verified: ${scrub(describeFailure(error as ApiFailureLike), value)}`
    }
    return out
  }

  // Each distinct value once; a repeat gets the first one's outcome under its own index.
  const distinct: number[] = []
  for (const [index, raw] of values.entries()) {
    const value = (raw ?? '').trim()
    if (!firstIndex.has(value)) {
      firstIndex.set(value, index)
      distinct.push(index)
    }
  }
  const worker = async (): Promise<void> => {
    while (next < distinct.length) {
      const index = distinct[next++]!
      outcomes[index] = await handle(index, (values[index] ?? '').trim())
    }
  }
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, distinct.length))
  await Promise.all(Array.from({ length: concurrency }, worker))
  for (const [index, raw] of values.entries()) {
    const first = firstIndex.get((raw ?? '').trim())!
    if (first !== index) {
      const original = outcomes[first]!
      outcomes[index] = {
        ...original,
        index,
        reason: `same value as #${first + 1}${original.reason ? `: ${original.reason}` : ''}`
      }
    }
  }
  return outcomes
}
