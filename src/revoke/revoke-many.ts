import type { FastlyTokensClient } from '../client/index.js'
import { RevokeQueue, type AttemptResult } from './bisect.js'
import { WriteBudget } from './budget.js'
import { ChunkSizer } from './cap.js'
import { distinctIds, isWellFormedTokenId } from './ids.js'
import { planRevocation, type Evidence } from './plan.js'
import { classifyRefusal, describeFailure, outcomeForStatus, type ApiFailureLike } from './refusal.js'
import type { RevokeOutcome, RevokeProgress, RevokeReport } from './report.js'
import { verifyGone } from './verify.js'

export interface RevokeManyOptions {
  /** List and verify with the customer's token list (superusers) instead of the caller's own. */
  customerId?: string
  /** Epoch ms: no wait for a rate-limit reset past it, and no request ending after it. */
  deadline?: number
  /** First bulk size (default 1000); the server's cap is learned by halving on a size refusal. */
  initialChunkSize?: number
  /** List after revoking and confirm none of the revoked ids survive (default true). */
  verify?: boolean
  /** Plan with reads only; spend no write. */
  dryRun?: boolean
  onProgress?: (progress: RevokeProgress) => void
  /** Writes to leave unspent in the hour's budget (default 0). */
  reserveWrites?: number
  signal?: AbortSignal
  /** Clock and sleep for rate-limit waits; use the client's retry clock (default Date.now / a timer). */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  /** Parallel reads for lookups (default 16). */
  lookupConcurrency?: number
  /**
   * Settle ids that a refusal names in its message at once (default true). false ignores the
   * names and bisects, for servers whose messages cannot be trusted to name the culprits.
   */
  trustNamedIds?: boolean
}

/** Whole-request transient failures in a row after which the engine stops writing. */
const MAX_FAILED_REQUESTS_IN_A_ROW = 3

const MALFORMED_REASON = 'not a token id: expected 16 to 24 letters and digits; never sent'

function checkOptions(options: RevokeManyOptions): void {
  const { customerId, deadline, initialChunkSize, reserveWrites } = options
  if (
    customerId !== undefined &&
    (typeof customerId !== 'string' || !/^[A-Za-z0-9]{1,64}$/.test(customerId))
  ) {
    throw new TypeError('customerId must be a customer id (letters and digits)')
  }
  if (deadline !== undefined && !Number.isFinite(deadline)) {
    throw new TypeError('deadline must be an epoch time in milliseconds')
  }
  if (initialChunkSize !== undefined && (!Number.isSafeInteger(initialChunkSize) || initialChunkSize < 1)) {
    throw new TypeError(`initialChunkSize must be a positive integer, got ${String(initialChunkSize)}`)
  }
  if (reserveWrites !== undefined && (!Number.isSafeInteger(reserveWrites) || reserveWrites < 0)) {
    throw new TypeError(`reserveWrites must be an integer >= 0, got ${String(reserveWrites)}`)
  }
}

/**
 * Revokes many tokens by id, within the write budget, and proves it. See the README section
 * "Incident response" for the whole story; in short:
 * 1. plan with free reads (list, then per-id lookups for what the list does not show);
 * 2. bulk-revoke what exists, in chunks sized to the server's learned cap, bisecting refused
 *    chunks to isolate the ids the API refuses (RevokeQueue);
 * 3. spend writes only while the hour's budget (or a wait the deadline allows) lasts; the rest is
 *    reported as left for a second run;
 * 4. list again and check every revoked id is gone; the token making the requests, if it is on
 *    the list to revoke, is revoked last, after the reads that need it.
 */
export async function revokeMany(
  client: FastlyTokensClient,
  ids: readonly string[],
  options: RevokeManyOptions = {}
): Promise<RevokeReport> {
  checkOptions(options)
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)))
  const call = { deadline: options.deadline, signal: options.signal }
  const order = distinctIds(ids)
  const outcomes = new Map<string, RevokeOutcome>()
  let writes = 0
  let reads = 0
  let waitingUntil: number | undefined

  const progress = (): void => {
    if (!options.onProgress) return
    let revoked = 0
    let failed = 0
    for (const o of outcomes.values()) {
      if (o.outcome === 'revoked') revoked += 1
      else if (o.outcome !== 'would-revoke' && o.outcome !== 'left') failed += 1
    }
    const p: RevokeProgress = { done: outcomes.size, total: order.length, revoked, failed, writes }
    if (waitingUntil !== undefined) p.waitingUntil = waitingUntil
    options.onProgress(p)
  }
  const report = (learnedCap?: number): RevokeReport => {
    const list = order.map(id => outcomes.get(id)!)
    const leftIds = list.filter(o => o.outcome === 'left').map(o => o.id)
    const r: RevokeReport = { outcomes: list, writes, reads, leftIds, complete: leftIds.length === 0 }
    if (learnedCap !== undefined) r.learnedCap = learnedCap
    return r
  }

  for (const id of order) {
    if (!isWellFormedTokenId(id)) outcomes.set(id, { id, outcome: 'malformed', reason: MALFORMED_REASON })
  }
  const wellFormed = order.filter(id => !outcomes.has(id))
  if (wellFormed.length === 0) return report()

  // 1. Plan with reads.
  const plan = await planRevocation(client, wellFormed, {
    customerId: options.customerId,
    deadline: options.deadline,
    signal: options.signal,
    lookupConcurrency: options.lookupConcurrency,
    allowProbe: !options.dryRun
  })
  reads += plan.reads
  writes += plan.writes
  for (const [id, o] of plan.settled) outcomes.set(id, o)
  const selfId = plan.self && plan.toWrite.includes(plan.self.id) ? plan.self.id : undefined
  const toWrite = plan.toWrite.filter(id => id !== selfId)
  progress()

  if (options.dryRun) {
    for (const id of plan.toWrite) {
      outcomes.set(id, {
        id,
        outcome: 'would-revoke',
        reason: dryRunReason(id, plan.evidence.get(id), selfId, plan.listFailure)
      })
    }
    progress()
    return report()
  }

  // 2 and 3. Bulk writes within the budget.
  const sizer = new ChunkSizer(options.initialChunkSize ?? 1000)
  const queue = new RevokeQueue(toWrite, sizer)
  if (plan.bulkPolicy === 'checks' || plan.bulkPolicy === 'checks-and-names') queue.validatesIds = true
  const budget = new WriteBudget(client, {
    deadline: options.deadline,
    reserve: options.reserveWrites,
    now,
    sleep,
    onWait: until => {
      waitingUntil = until
      progress()
    }
  })
  const transientFailures = new Set<string>()
  let failedInARow = 0
  let stop: { outcome: 'left' | 'failed'; reason: string } | undefined

  for (let attempt = queue.next(); attempt; attempt = queue.next()) {
    if (options.signal?.aborted) {
      queue.settle({ kind: 'rate-limit', reason: 'aborted' })
      stop = { outcome: 'left', reason: 'not sent: the run was aborted' }
      break
    }
    const decision = await budget.acquire()
    waitingUntil = undefined
    if (!decision.go) {
      queue.settle({ kind: 'rate-limit', reason: decision.why })
      stop = { outcome: 'left', reason: `not sent: ${decision.why}` }
      break
    }
    let result: AttemptResult
    try {
      await client.bulkRevokeTokens(attempt.ids, call)
      writes += 1
      result = { kind: 'accepted' }
    } catch (error) {
      const failure = error as ApiFailureLike & { attempts?: number; method?: unknown }
      if (typeof failure.method !== 'string' && failure.status === undefined && failure.code === undefined) {
        throw error // not an API failure: a bug, not an answer
      }
      writes += failure.attempts ?? 1
      if (failure.code === 'deadline' || failure.code === 'aborted') {
        queue.settle({ kind: 'rate-limit', reason: describeFailure(failure) })
        stop = { outcome: 'left', reason: `not sent: ${describeFailure(failure)}` }
        break
      }
      result = classifyRefusal(failure, attempt.ids)
      if (result.kind === 'ids' && options.trustNamedIds === false) result = { ...result, namedIds: [] }
      if (result.kind === 'rate-limit') budget.onRateLimited(failure.resetAt)
    }
    for (const s of queue.settle(result)) {
      const o: RevokeOutcome = { id: s.id, outcome: s.outcome }
      if (s.reason !== undefined) o.reason = s.reason
      outcomes.set(s.id, o)
      if (result.kind === 'transient') transientFailures.add(s.id)
    }
    failedInARow = result.kind === 'transient' ? failedInARow + 1 : 0
    if (failedInARow >= MAX_FAILED_REQUESTS_IN_A_ROW && result.kind === 'transient') {
      stop = {
        outcome: 'failed',
        reason: `not sent: ${MAX_FAILED_REQUESTS_IN_A_ROW} bulk requests in a row failed (last: ${result.reason})`
      }
      break
    }
    progress()
  }
  if (stop) {
    for (const id of queue.drain()) outcomes.set(id, { id, outcome: stop.outcome, reason: stop.reason })
  }

  // 4. Verify with reads.
  if (options.verify !== false) {
    // Besides what was revoked: ids seen to exist when planning whose write failed, or came back
    // 404 (a retried request whose first attempt was applied answers 404 for its own ids).
    const seenToExist = (id: string): boolean => {
      const e = plan.evidence.get(id)
      return e === 'listed' || e === 'own' || e === 'looked-up'
    }
    const targets = [...outcomes.values()]
      .filter(
        o =>
          o.outcome === 'revoked' ||
          ((transientFailures.has(o.id) || o.outcome === 'not-found') && seenToExist(o.id))
      )
      .map(o => o.id)
    // The list proves an id gone when the id is one the list can show: any id on a customer's
    // list, one listed before or found by lookup among the caller's own, or (on a server seen to
    // check ids) an accepted id whose existence could not be read when planning.
    const listProves = (id: string): boolean => {
      const e = plan.evidence.get(id)
      return (
        options.customerId !== undefined ||
        e === 'listed' ||
        e === 'own' ||
        (e === 'unknown' && queue.validatesIds)
      )
    }
    const checked = await verifyGone(client, targets, listProves, {
      customerId: options.customerId,
      deadline: options.deadline,
      signal: options.signal,
      lookupConcurrency: options.lookupConcurrency
    })
    reads += checked.reads
    for (const id of targets) {
      const before = outcomes.get(id)!
      const { verdict, why } = checked.verdicts.get(id) ?? {
        verdict: 'unverified' as const,
        why: 'not checked'
      }
      outcomes.set(id, afterVerification(before, verdict, why, plan.evidence.get(id), queue.validatesIds))
    }
  } else {
    for (const o of outcomes.values()) {
      if (o.outcome !== 'revoked') continue
      outcomes.set(
        o.id,
        afterVerification(
          o,
          'unverified',
          'verification was turned off',
          plan.evidence.get(o.id),
          queue.validatesIds
        )
      )
    }
  }

  // The token making the requests, last: every read above needed it.
  if (selfId !== undefined) {
    const selfOutcome = stop
      ? { id: selfId, outcome: stop.outcome, reason: stop.reason }
      : await revokeSelfLast()
    outcomes.set(selfId, selfOutcome)
  }
  progress()
  return report(sizer.learnedCap)

  async function revokeSelfLast(): Promise<RevokeOutcome> {
    const id = selfId!
    const decision = await budget.acquire()
    if (!decision.go) return { id, outcome: 'left', reason: `not sent: ${decision.why}` }
    try {
      await client.revokeTokenCurrent(call)
      writes += 1
    } catch (error) {
      const failure = error as ApiFailureLike & { attempts?: number }
      writes += failure.attempts ?? 1
      const status = failure.status
      return {
        id,
        outcome: status !== undefined && status >= 400 && status < 500 ? outcomeForStatus(status) : 'failed',
        reason: describeFailure(failure)
      }
    }
    const reason = 'the token making the requests: revoked last, with DELETE /tokens/self'
    if (options.verify === false) return { id, outcome: 'revoked', verified: false, reason }
    reads += 1
    try {
      await client.getTokenCurrent(call)
      return { id, outcome: 'failed', reason: 'still authenticates after DELETE /tokens/self answered 204' }
    } catch (error) {
      const status = (error as ApiFailureLike).status
      return { id, outcome: 'revoked', verified: status === 401, reason }
    }
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

/**
 * The final word on an id after the verification reads. Never 'revoked' when the reads contradict
 * it; and an id that was never seen to exist, accepted by a server that was never seen to check
 * ids (one that answers 204 to unknown ids would), is not claimed revoked unless a read shows it gone.
 */
export function afterVerification(
  before: RevokeOutcome,
  verdict: 'gone' | 'still-there' | 'unverified',
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
