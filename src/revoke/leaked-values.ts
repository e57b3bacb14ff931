import type { FastlyTokensClient } from '../client/index.js'
import { cleanPastedValue, type CleanedValue } from '../input/token-value.js'
import type { Token } from '../types.js'
import { timerSleep } from './budget.js'
import { proveEndpoint } from './endpoint-proof.js'
import type { RevokeManyOptions } from './options.js'
import { revokeMany } from './revoke-many.js'
import { ValueLedger, type LeakedValueOutcome, type LeakedValuesReport } from './value-ledger.js'
import { readValues, type ValueRead } from './value-reads.js'
import { revokeValuesThemselves, type SelfRevokeTarget } from './value-self-revoke.js'
import { logText } from '../text/log-text.js'

export type { LeakedValueOutcome, LeakedValuesReport } from './value-ledger.js'

/**
 * Revoking leaked token *values*. Responders usually hold the leaked secret, not its id.
 *
 * 1. Each entry is cleaned of what a paste wraps it in (quotes, `KEY=`, `Bearer `...; see
 *    src/input/token-value.ts); what is still no token value is `malformed`, never sent.
 * 2. Each value is read with itself (GET /tokens/self, free): which token it is, or, from the
 *    API's own 401/404 and for a value of token shape only, that it is already gone.
 * 3. With an admin token (`admin`), the ids the reads found go through revokeMany like any id
 *    list: bulk writes at the learned cap, the write budget, verification, left ids. 300 values
 *    cost a write or two instead of 300. Ids it may not revoke (another user's, for a caller who
 *    is no superuser) fall through to step 4.
 * 4. Otherwise each value revokes itself (DELETE /tokens/self), paid from its owner's budget.
 *
 * A dry run (`dryRun`) makes the reads of steps 2 and 3 (free) and no write: each value still
 * live is 'would-revoke', with the token its read named and how it would be revoked.
 *
 * A value never appears in an outcome, a reason, a note or an error: values are named by position.
 */

export interface RevokeLeakedValuesOptions extends Pick<
  RevokeManyOptions,
  | 'customerId'
  | 'deadline'
  | 'initialChunkSize'
  | 'verify'
  | 'onProgress'
  | 'onNote'
  | 'reserveWrites'
  | 'signal'
  | 'now'
  | 'sleep'
  | 'lookupConcurrency'
  | 'trustNamedIds'
  | 'includeSelf'
  | 'dryRun'
> {
  /** A client with an admin token (scope global): resolve with reads, revoke the ids in bulk. */
  admin?: FastlyTokensClient
  /** Values revoking themselves at once (default 4). */
  concurrency?: number
}

/** Every entry cleaned, and for each the index of the first entry with the same value. */
function distinctValues(values: readonly string[]) {
  const cleaned: CleanedValue[] = values.map(raw => cleanPastedValue(typeof raw === 'string' ? raw : ''))
  const firstOf: number[] = []
  const seen = new Map<string, number>()
  cleaned.forEach((c, index) => {
    if (c.kind === 'malformed') {
      firstOf.push(index)
      return
    }
    const first = seen.get(c.value)
    if (first === undefined) seen.set(c.value, index)
    firstOf.push(first ?? index)
  })
  return { cleaned, firstOf, distinct: firstOf.filter((first, index) => first === index) }
}

export async function revokeValues(
  base: FastlyTokensClient,
  values: readonly string[],
  options: RevokeLeakedValuesOptions = {}
): Promise<LeakedValuesReport> {
  const { cleaned, firstOf, distinct } = distinctValues(values)
  const ledger = new ValueLedger(distinct, options.onProgress)
  const usable = new Map<number, string>()
  for (const index of distinct) {
    const c = cleaned[index]!
    if (c.kind === 'malformed') ledger.settle(index, { outcome: 'malformed', reason: c.reason })
    else usable.set(index, c.value)
  }
  const call = { deadline: options.deadline, signal: options.signal }
  const finish = (mode: LeakedValuesReport['mode'], cap?: number) => {
    ledger.progress()
    return ledger.report(values.length, i => firstOf[i]!, mode, cap, options.dryRun)
  }
  if (usable.size === 0) return finish(options.admin ? 'bulk' : 'self')

  // The admin token first: the endpoint proven (and the token accepted) before any value is read.
  if (options.admin) {
    await proveEndpoint(options.admin, call)
    ledger.reads += 1
  }
  const read = await readValues(base, usable, {
    concurrency: options.lookupConcurrency,
    deadline: options.deadline,
    signal: options.signal
  })
  ledger.reads += read.count
  const tokenShaped = (index: number) => cleaned[index]!.kind === 'token'
  const selfTargets: SelfRevokeTarget[] = []
  const byTokenId = new Map<string, { index: number; token: Token }>()
  for (const [index, value] of usable) {
    const r: ValueRead = read.reads.get(index) ?? { kind: 'unread', reason: 'not read' }
    if (r.kind === 'gone') {
      ledger.settle(
        index,
        tokenShaped(index)
          ? { outcome: 'already-gone', reason: r.reason }
          : { outcome: 'malformed', reason: `not of token shape, and the API does not know it (${r.reason})` }
      )
    } else if (r.kind === 'token' && options.admin) {
      byTokenId.set(r.token.id, { index, token: r.token })
    } else {
      selfTargets.push({ index, value, tokenShaped: tokenShaped(index), read: r })
    }
  }
  ledger.progress()

  let learnedCap: number | undefined
  if (options.admin && byTokenId.size > 0) {
    learnedCap = await revokeResolvedIds(options.admin, byTokenId, options, ledger, index =>
      selfTargets.push({
        index,
        value: usable.get(index)!,
        tokenShaped: tokenShaped(index),
        read: read.reads.get(index)!
      })
    )
  }
  if (selfTargets.length > 0 && options.dryRun) {
    for (const target of selfTargets) ledger.settle(target.index, wouldRevokeItself(target.read))
  } else if (selfTargets.length > 0) {
    const now = options.now ?? Date.now
    const sleep = options.sleep ?? timerSleep(options.signal)
    await revokeValuesThemselves(
      base,
      selfTargets,
      {
        deadline: options.deadline,
        signal: options.signal,
        verify: options.verify,
        concurrency: options.concurrency,
        reserveWrites: options.reserveWrites,
        now,
        sleep
      },
      ledger
    )
  }
  return finish(options.admin ? 'bulk' : 'self', learnedCap)
}

/**
 * Step 3: the ids the reads resolved, through the id engine. Each id outcome becomes its value's;
 * an id the admin token may not revoke is handed back for the value to revoke itself.
 */
async function revokeResolvedIds(
  admin: FastlyTokensClient,
  byTokenId: ReadonlyMap<string, { index: number; token: Token }>,
  options: RevokeLeakedValuesOptions,
  ledger: ValueLedger,
  revokeItself: (index: number) => void
): Promise<number | undefined> {
  const { admin: _admin, concurrency: _concurrency, onProgress: _onProgress, ...engine } = options
  const report = await revokeMany(admin, [...byTokenId.keys()], {
    ...engine,
    onProgress: p =>
      ledger.progress({ done: p.done, revoked: p.revoked, failed: p.failed, left: p.left, writes: p.writes })
  })
  ledger.writes += report.writes
  ledger.reads += report.reads
  for (const note of report.notes ?? []) ledger.notes.push(note)
  for (const o of report.outcomes) {
    const { index, token } = byTokenId.get(o.id)!
    const known = { tokenId: token.id, name: token.name, userId: token.user_id }
    switch (o.outcome) {
      case 'revoked':
        ledger.settle(index, {
          ...known,
          outcome: 'revoked',
          verified: o.verified === true,
          ...(o.reason ? { reason: o.reason } : {})
        })
        break
      case 'not-found':
        ledger.settle(index, {
          ...known,
          outcome: 'already-gone',
          reason: `its own read named token ${logText(o.id)}, which the API no longer knows (${o.reason ?? 'HTTP 404'})`
        })
        break
      case 'would-revoke':
        ledger.settle(index, {
          ...known,
          outcome: 'would-revoke',
          reason: `it would be revoked in bulk with the admin token; its own read named this token, and the plan says: ${o.reason ?? 'planned'}`
        })
        break
      case 'left':
      case 'failed':
      case 'skipped-self':
        // skipped-self: the value is the admin token's own; revoking it itself would defeat the rule.
        ledger.settle(index, { ...known, outcome: o.outcome, ...(o.reason ? { reason: o.reason } : {}) })
        break
      default:
        // forbidden (another user's token, for a caller who is no superuser), or any outcome that
        // leaves the id live and is about the admin token rather than the value: the value can
        // still revoke itself.
        revokeItself(index)
    }
  }
  // Only a cap the server taught by refusing a size: the size merely used tells nothing.
  return report.capFound ? report.learnedCap : undefined
}

/** A dry run's plan for a value that would revoke itself: what its read established. */
function wouldRevokeItself(read: ValueRead | undefined): Omit<LeakedValueOutcome, 'index'> {
  const how = "it would revoke itself with DELETE /tokens/self (one write from its owner's budget)"
  if (read?.kind === 'token') {
    const { id, name, user_id } = read.token
    return {
      tokenId: id,
      name,
      userId: user_id,
      outcome: 'would-revoke',
      reason: `live (its own read); ${how}`
    }
  }
  const found = read?.reason ?? 'not read'
  return { outcome: 'would-revoke', reason: `not established (${found}); ${how}, and the write would decide` }
}

/** The values as positions and outcomes only (the module's first values API, kept for callers). */
export async function revokeLeakedValues(
  base: FastlyTokensClient,
  values: readonly string[],
  options: RevokeLeakedValuesOptions = {}
): Promise<LeakedValueOutcome[]> {
  return (await revokeValues(base, values, options)).outcomes
}
