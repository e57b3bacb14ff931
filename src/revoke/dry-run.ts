import type { RevokeLedger } from './ledger.js'
import type { Evidence, RevokePlan } from './plan.js'

/**
 * A dry run reports the plan instead of carrying it out: every id the reads left for a write is
 * 'would-revoke', with what the reads established about it, so a responder can check the plan
 * before spending the hour's write budget.
 */
export function settleDryRun(plan: RevokePlan, selfId: string | undefined, ledger: RevokeLedger): void {
  for (const id of plan.toWrite) {
    ledger.settle({
      id,
      outcome: 'would-revoke',
      reason: dryRunReason(id, plan.evidence.get(id), selfId, plan.listFailure)
    })
  }
}

function dryRunReason(
  id: string,
  evidence: Evidence | undefined,
  selfId: string | undefined,
  listFailure: string | undefined
): string {
  if (id === selfId) return 'exists; it is the token making the requests, so it would be revoked last'
  if (evidence === 'listed') return 'exists (listed)'
  if (evidence === 'own' || evidence === 'looked-up')
    return 'exists (found by GET /tokens/{id}, not on the list)'
  return `existence not established (${listFailure ?? 'the lookup failed'}); the write would decide`
}
