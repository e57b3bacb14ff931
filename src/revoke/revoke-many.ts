import type { FastlyTokensClient } from '../client/index.js'
import { timerSleep, WriteBudget } from './budget.js'
import { revokeInChunks } from './bulk-writes.js'
import { confirmRevocations } from './confirm.js'
import { settleDryRun } from './dry-run.js'
import { distinctIds, isWellFormedTokenId } from './ids.js'
import { RevokeLedger } from './ledger.js'
import { checkRevokeManyOptions, type RevokeManyOptions } from './options.js'
import { planRevocation } from './plan.js'
import type { RevokeReport } from './report.js'
import type { Token } from '../types.js'
import { revokeSelfLast, selfToRevokeLast } from './self-last.js'

const MALFORMED_REASON = 'not a token id: expected 16 to 24 letters and digits; never sent'

/**
 * Revokes many tokens by id, within the write budget, and proves it. See docs/module.md,
 * "Incident response", for the whole story; in short:
 * 1. plan with free reads (list, then per-id lookups for what the list does not show): plan.ts;
 * 2. bulk-revoke what exists, in chunks sized to the server's learned cap, bisecting refused
 *    chunks to isolate the ids the API refuses (RevokeQueue): bulk-writes.ts;
 * 3. spend writes only while the hour's budget (or a wait the deadline allows) lasts; the rest is
 *    reported as left for a second run (WriteBudget);
 * 4. list again and check every revoked id is gone (confirm.ts); the token making the requests,
 *    if it is on the list to revoke, is revoked last, after the reads that need it (self-last.ts).
 */
export async function revokeMany(
  client: FastlyTokensClient,
  ids: readonly string[],
  options: RevokeManyOptions = {}
): Promise<RevokeReport> {
  checkRevokeManyOptions(options)
  const order = distinctIds(ids)
  const ledger = new RevokeLedger(order, options.onProgress)
  for (const id of order) {
    if (!isWellFormedTokenId(id)) ledger.settle({ id, outcome: 'malformed', reason: MALFORMED_REASON })
  }
  const wellFormed = order.filter(isWellFormedTokenId)
  if (wellFormed.length === 0) return ledger.report()

  // 1. Plan with reads.
  const plan = await planRevocation(client, wellFormed, {
    customerId: options.customerId,
    deadline: options.deadline,
    signal: options.signal,
    lookupConcurrency: options.lookupConcurrency,
    allowProbe: !options.dryRun
  })
  ledger.reads += plan.reads
  ledger.writes += plan.writes
  for (const note of plan.notes) {
    ledger.notes.push(note)
    options.onNote?.(note)
  }
  // Verification reads the list the plan could use (the caller's own, after a refused customer list).
  // Not stopped by an interruption either: reading back what was written is what makes a
  // "revoked" true, and a few reads end quickly.
  const confirmOptions = { ...options, customerId: plan.customerId, signal: undefined }
  for (const o of plan.settled.values()) ledger.settle(o)
  const selfId = selfToRevokeLast(plan, options.includeSelf, ledger)
  ledger.progress()

  if (options.dryRun) {
    settleDryRun(plan, selfId, ledger)
    ledger.progress()
    return describeTokens(ledger.report(), plan.known)
  }

  // 2 and 3. Bulk writes within the budget.
  const budget = writeBudget(client, options, ledger)
  const toWrite = plan.toWrite.filter(id => id !== selfId)
  const written = await revokeInChunks(
    client,
    toWrite,
    budget,
    {
      initialChunkSize: options.initialChunkSize,
      bulkPolicy: plan.bulkPolicy,
      trustNamedIds: options.trustNamedIds,
      deadline: options.deadline,
      signal: options.signal
    },
    ledger
  )

  // 4. Verify with reads, then the token making the requests: every read needed it.
  await confirmRevocations(client, plan.evidence, written, confirmOptions, ledger)
  if (selfId !== undefined) {
    const { stop } = written
    ledger.settle(
      stop
        ? { id: selfId, outcome: stop.outcome, reason: stop.reason }
        : await revokeSelfLast(client, selfId, budget, options, ledger)
    )
  }
  ledger.progress()
  const report = ledger.report(written.learnedCap)
  if (written.capFound) report.capFound = true
  return describeTokens(report, plan.known)
}

/** Names, owners and types from the plan's reads, on the outcomes of the ids they showed. */
function describeTokens(report: RevokeReport, known: ReadonlyMap<string, Token>): RevokeReport {
  for (const o of report.outcomes) {
    const token = known.get(o.id)
    if (!token) continue
    o.name = token.name
    o.owner = token.user_id
    o.type = (token as { type?: string }).type === 'automation' ? 'automation' : 'user'
  }
  return report
}

/** The hour's write budget, waiting on the caller's clock, with each wait shown in the progress. */
function writeBudget(
  client: FastlyTokensClient,
  options: RevokeManyOptions,
  ledger: RevokeLedger
): WriteBudget {
  return new WriteBudget(client, {
    deadline: options.deadline,
    reserve: options.reserveWrites,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? timerSleep(options.signal),
    signal: options.signal,
    onWait: until => {
      ledger.waitingUntil = until
      ledger.progress()
    }
  })
}
