import type { FastlyTokensClient } from '../client/index.js'
import { RevokeQueue, type AttemptResult } from './bisect.js'
import type { WriteBudget } from './budget.js'
import { ChunkSizer } from './cap.js'
import type { RevokeLedger } from './ledger.js'
import type { BulkPolicyVerdict } from './probe.js'
import { classifyRefusal, describeFailure, type ApiFailureLike } from './refusal.js'
import type { RevokeOutcome } from './report.js'

/**
 * The writes of revokeMany: bulk revokes in the chunks the RevokeQueue asks for (sized to the
 * learned cap, bisecting refused chunks), each sent only once the WriteBudget allows it. When the
 * budget, the deadline or an abort ends the writes early, every id not yet settled is reported
 * as left, for a second run to finish; when requests keep failing, as failed.
 */

/** Whole-request transient failures in a row after which the engine stops writing. */
const MAX_FAILED_REQUESTS_IN_A_ROW = 3

export interface BulkWriteOptions {
  initialChunkSize?: number
  /** What the planning probe learned about the bulk endpoint, if a probe was sent. */
  bulkPolicy?: BulkPolicyVerdict
  trustNamedIds?: boolean
  deadline?: number
  signal?: AbortSignal
}

/** Why the writes ended before every id was settled: the outcome of each id not yet settled. */
export interface WriteStop {
  outcome: 'left' | 'failed'
  reason: string
}

export interface BulkWriteResult {
  stop?: WriteStop
  /**
   * Ids settled as failed after requests that failed in transit (a 5xx or no answer). Such a request
   * may have been applied all the same, so verification looks at these ids too.
   */
  transientFailures: Set<string>
  /**
   * The server was seen to check ids (it refused one with 403/404, or refused the planning probe),
   * so its 204s vouch for the ids they covered.
   */
  serverValidatesIds: boolean
  learnedCap?: number
  /** A size was refused, so learnedCap is the server's cap rather than just the size used. */
  capFound?: boolean
}

export async function revokeInChunks(
  client: FastlyTokensClient,
  ids: readonly string[],
  budget: WriteBudget,
  options: BulkWriteOptions,
  ledger: RevokeLedger
): Promise<BulkWriteResult> {
  const sizer = new ChunkSizer(options.initialChunkSize ?? 1000)
  const queue = new RevokeQueue(ids, sizer)
  // The probe already saw the server refuse an unknown id: its 204s vouch for ids from the start.
  if (options.bulkPolicy === 'checks' || options.bulkPolicy === 'checks-and-names') queue.validatesIds = true
  const transientFailures = new Set<string>()
  let failedInARow = 0
  let stop: WriteStop | undefined

  for (let attempt = queue.next(); attempt; attempt = queue.next()) {
    const sent = await sendChunk(client, attempt.ids, budget, options, ledger)
    if (sent.kind === 'stopped') {
      // Nothing was learned about this chunk: it goes back to the queue, and drain() below
      // reports it as left with the rest.
      queue.settle({ kind: 'rate-limit', reason: sent.queueReason })
      stop = { outcome: 'left', reason: `not sent: ${sent.why}` }
      break
    }
    const { result } = sent
    for (const s of queue.settle(result)) {
      const o: RevokeOutcome = { id: s.id, outcome: s.outcome }
      if (s.reason !== undefined) o.reason = s.reason
      ledger.settle(o)
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
    ledger.progress()
  }
  if (stop) {
    for (const id of queue.drain()) ledger.settle({ id, outcome: stop.outcome, reason: stop.reason })
  }

  const written: BulkWriteResult = { transientFailures, serverValidatesIds: queue.validatesIds }
  if (stop) written.stop = stop
  if (sizer.learnedCap !== undefined) written.learnedCap = sizer.learnedCap
  if (sizer.capFound) written.capFound = true
  return written
}

/** What became of one chunk: the API's answer, or the reason the writes must stop instead. */
type ChunkAnswer =
  { kind: 'answered'; result: AttemptResult } | { kind: 'stopped'; why: string; queueReason: string }

async function sendChunk(
  client: FastlyTokensClient,
  ids: string[],
  budget: WriteBudget,
  options: BulkWriteOptions,
  ledger: RevokeLedger
): Promise<ChunkAnswer> {
  if (options.signal?.aborted) return { kind: 'stopped', why: 'the run was aborted', queueReason: 'aborted' }
  const decision = await budget.acquire()
  ledger.waitingUntil = undefined
  if (!decision.go) return { kind: 'stopped', why: decision.why, queueReason: decision.why }
  try {
    // The signal stops waits and further attempts, never a write in flight: its answer still
    // settles its ids.
    await client.bulkRevokeTokens(ids, { deadline: options.deadline, waitSignal: options.signal })
    ledger.writes += 1
    return { kind: 'answered', result: { kind: 'accepted' } }
  } catch (error) {
    const failure = error as ApiFailureLike & { attempts?: number; method?: unknown }
    if (typeof failure.method !== 'string' && failure.status === undefined && failure.code === undefined) {
      throw error // not an API failure: a bug, not an answer
    }
    ledger.writes += failure.attempts ?? 1
    if (failure.code === 'deadline' || failure.code === 'aborted') {
      const why = describeFailure(failure)
      return { kind: 'stopped', why, queueReason: why }
    }
    let result = classifyRefusal(failure, ids)
    if (result.kind === 'ids' && options.trustNamedIds === false) result = { ...result, namedIds: [] }
    if (result.kind === 'rate-limit') budget.onRateLimited(failure.resetAt)
    return { kind: 'answered', result }
  }
}
