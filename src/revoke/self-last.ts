import type { FastlyTokensClient } from '../client/index.js'
import type { WriteBudget } from './budget.js'
import type { RevokeLedger } from './ledger.js'
import { describeFailure, outcomeForStatus, type ApiFailureLike } from './refusal.js'
import type { RevokeOutcome } from './report.js'

export const SKIPPED_SELF_REASON =
  'the token making the requests: not revoked unless asked (it would end this access)'

/**
 * Which id, if any, is the token making the requests and is to be revoked last. Unless the caller
 * asked for it (`includeSelf`), that token is settled as 'skipped-self' here and taken out of the
 * plan, so neither a write nor a dry run's "would-revoke" counts it.
 */
export function selfToRevokeLast(
  plan: { self?: { id: string }; toWrite: string[] },
  includeSelf: boolean | undefined,
  ledger: RevokeLedger
): string | undefined {
  const selfId = plan.self?.id
  if (selfId === undefined || !plan.toWrite.includes(selfId)) return undefined
  if (includeSelf === true) return selfId
  ledger.settle({ id: selfId, outcome: 'skipped-self', reason: SKIPPED_SELF_REASON })
  plan.toWrite = plan.toWrite.filter(id => id !== selfId)
  return undefined
}

/**
 * The token making the requests, when it is itself on the list to revoke (and asked for). It is left out of the
 * bulk writes and revoked after everything else, with DELETE /tokens/self: every read before
 * (planning, verification) needs it, and once revoked it no longer authenticates.
 */
export async function revokeSelfLast(
  client: FastlyTokensClient,
  id: string,
  budget: WriteBudget,
  options: { verify?: boolean; deadline?: number; signal?: AbortSignal },
  ledger: RevokeLedger
): Promise<RevokeOutcome> {
  const call = { deadline: options.deadline, signal: options.signal }
  const decision = await budget.acquire()
  if (!decision.go) return { id, outcome: 'left', reason: `not sent: ${decision.why}` }
  try {
    await client.revokeTokenCurrent({ deadline: options.deadline, waitSignal: options.signal })
    ledger.writes += 1
  } catch (error) {
    const failure = error as ApiFailureLike & { attempts?: number }
    ledger.writes += failure.attempts ?? 1
    const status = failure.status
    return {
      id,
      outcome: status !== undefined && status >= 400 && status < 500 ? outcomeForStatus(status) : 'failed',
      reason: describeFailure(failure)
    }
  }
  const reason = 'the token making the requests: revoked last, with DELETE /tokens/self'
  if (options.verify === false) return { id, outcome: 'revoked', verified: false, reason }
  // The proof is that the token no longer authenticates: a 401 to GET /tokens/self. Any other
  // failure leaves the revocation unverified; a success means the 204 did not take.
  ledger.reads += 1
  try {
    await client.getTokenCurrent(call)
    return { id, outcome: 'failed', reason: 'still authenticates after DELETE /tokens/self answered 204' }
  } catch (error) {
    const status = (error as ApiFailureLike).status
    return { id, outcome: 'revoked', verified: status === 401, reason }
  }
}
