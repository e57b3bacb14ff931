import type { FastlyTokensClient } from '../client/index.js'
import type { BulkWriteResult } from './bulk-writes.js'
import type { RevokeLedger } from './ledger.js'
import type { Evidence } from './plan.js'
import type { RevokeOutcome } from './report.js'
import { verifyGone, type Verdict } from './verify.js'

/**
 * After the writes, the final word on each id: which ids to read back, whether the list can prove
 * each one gone, and what the reads mean for the outcome the writes gave it. A 204 alone is not
 * taken as proof (see verify.ts). With verification turned off nothing is read, so a revoked id
 * is at best unverified.
 */

export interface ConfirmOptions {
  /** false: no reads (see above). */
  verify?: boolean
  customerId?: string
  deadline?: number
  signal?: AbortSignal
  lookupConcurrency?: number
}

export async function confirmRevocations(
  client: FastlyTokensClient,
  evidence: ReadonlyMap<string, Evidence>,
  written: Pick<BulkWriteResult, 'transientFailures' | 'serverValidatesIds'>,
  options: ConfirmOptions,
  ledger: RevokeLedger
): Promise<void> {
  const { serverValidatesIds } = written
  if (options.verify === false) {
    settleUnread(evidence, serverValidatesIds, ledger)
    return
  }
  const targets = idsToReadBack(evidence, written.transientFailures, ledger)
  // The list proves an id gone when the id is one the list can show: any id on a customer's
  // list, one listed before or found by lookup among the caller's own, or (on a server seen to
  // check ids) an accepted id whose existence could not be read when planning.
  const listProves = (id: string): boolean => {
    const e = evidence.get(id)
    return (
      options.customerId !== undefined ||
      e === 'listed' ||
      e === 'own' ||
      (e === 'unknown' && serverValidatesIds)
    )
  }
  const checked = await verifyGone(client, targets, listProves, {
    customerId: options.customerId,
    deadline: options.deadline,
    signal: options.signal,
    lookupConcurrency: options.lookupConcurrency
  })
  ledger.reads += checked.reads
  for (const id of targets) {
    const before = ledger.outcomeOf(id)!
    const { verdict, why } = checked.verdicts.get(id) ?? {
      verdict: 'unverified' as const,
      why: 'not checked'
    }
    ledger.settle(afterVerification(before, verdict, why, evidence.get(id), serverValidatesIds))
  }
}

/**
 * What was revoked, and besides: ids seen to exist when planning whose write failed, or came back
 * 404 (a retried request whose first attempt was applied answers 404 for its own ids).
 */
function idsToReadBack(
  evidence: ReadonlyMap<string, Evidence>,
  transientFailures: ReadonlySet<string>,
  ledger: RevokeLedger
): string[] {
  const seenToExist = (id: string): boolean => {
    const e = evidence.get(id)
    return e === 'listed' || e === 'own' || e === 'looked-up'
  }
  return [...ledger.settled()]
    .filter(
      o =>
        o.outcome === 'revoked' ||
        ((transientFailures.has(o.id) || o.outcome === 'not-found') && seenToExist(o.id))
    )
    .map(o => o.id)
}

/** Verification turned off: each revoked id gets the verdict of an id no read could check. */
function settleUnread(
  evidence: ReadonlyMap<string, Evidence>,
  serverValidatesIds: boolean,
  ledger: RevokeLedger
): void {
  for (const o of ledger.settled()) {
    if (o.outcome !== 'revoked') continue
    ledger.settle(
      afterVerification(
        o,
        'unverified',
        'verification was turned off',
        evidence.get(o.id),
        serverValidatesIds
      )
    )
  }
}

/**
 * The final word on an id after the verification reads. Never 'revoked' when the reads contradict
 * it; and never 'revoked' for an id that was never seen to exist and was accepted by a server never
 * seen to check ids: such a server answers 204 to unknown ids too, so even gone afterwards, it may
 * never have existed.
 */
export function afterVerification(
  before: RevokeOutcome,
  verdict: Verdict,
  why: string | undefined,
  evidence: Evidence | undefined,
  serverValidatesIds: boolean
): RevokeOutcome {
  const id = before.id
  const wasRevoked = before.outcome === 'revoked'
  if (verdict === 'gone') {
    if (!wasRevoked) {
      return {
        id,
        outcome: 'revoked',
        verified: true,
        reason: `existed when planned and is gone now, although its request answered: ${before.reason ?? 'an error'}`
      }
    }
    if (evidence === 'unknown' && !serverValidatesIds) {
      // Gone now, but it may never have existed: this server answers 204 to unknown ids too, and
      // no read before the write said which. A second run reads it as not-found.
      return {
        id,
        outcome: 'failed',
        reason:
          'unconfirmed: gone now, but whether it existed (and so whether this run revoked it) could not be read, and this API answers 204 to unknown ids'
      }
    }
    return { id, outcome: 'revoked', verified: true }
  }
  if (!wasRevoked) return before
  if (verdict === 'still-there') {
    return {
      id,
      outcome: 'failed',
      reason: `${why ?? 'still exists'} after revoke: the API accepted the request (204) but the token is still there`
    }
  }
  if (evidence === 'unknown' && !serverValidatesIds) {
    return {
      id,
      outcome: 'failed',
      reason: `unconfirmed: the API accepted the request (204), but this API may skip unknown ids and the token could not be read before or after (${why ?? 'no read'})`
    }
  }
  return { id, outcome: 'revoked', verified: false, reason: `not verified: ${why ?? 'no read'}` }
}
