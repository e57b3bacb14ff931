/**
 * The post step: take the job's token away, whatever happened to the job. It never fails the job:
 * cleanup that breaks a green build teaches people to turn cleanup off. Every outcome is one log
 * line and one summary line; a token left alive is a warning that says why and until when.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { FastlyApiError, RateLimitError, type FastlyTokensClient } from '../client/index.js'
import { logText } from '../text/log-text.js'
import { parseApiUrl } from './api-url.js'
import { describeFailure, shortReason } from './failure.js'
import type { StepDeps } from './step-deps.js'
import { maskSecretInputs, maskValue } from './masking.js'
import { loadPostState, type MintedTokenState, type PendingMintState } from './state.js'
import { findLostMint } from './unanswered-mint.js'
import { escapeCell } from './summary.js'

/** Total time the post step may spend retrying 5xx, 429 and network failures. */
const POST_DEADLINE_MS = 60_000
/** More attempts than a main-step call: post has time, and a token left alive is the worst outcome. */
const POST_RETRY = { maxAttempts: 6 }
/** A token is skipped as expired only this long after its expiry: our clock may run ahead. */
const CLOCK_SKEW_MS = 30_000
/** Between tries of a DELETE the API rate-limited with a reset beyond the budget. */
const RATE_LIMITED_RETRY_MS = 5_000

export type PostOutcome =
  | 'nothing-minted'
  | 'revoked-by-main'
  | 'kept'
  | 'expired'
  | 'revoked'
  | 'revoked-by-id'
  | 'already-gone'
  | 'left-alive'
  /** main ended before its mint request answered; a token may exist (a warning names it). */
  | 'unanswered'
  /** ...and the token it minted was found with api-token and revoked by id. */
  | 'reclaimed'

export interface PostReport {
  outcome: PostOutcome
  /** One line, for the log and the summary. */
  line: string
}

function isGone(error: unknown): boolean {
  return error instanceof FastlyApiError && (error.status === 401 || error.status === 404)
}

/** The API's own words for a token that expired (`Token <id> expired at <time>`): not "revoked". */
function isExpiredAnswer(error: unknown): boolean {
  return (
    error instanceof FastlyApiError &&
    error.status === 401 &&
    /\bexpired\b/i.test(`${error.apiMessage ?? ''} ${error.detail ?? ''}`)
  )
}

function liveUntil(minted: MintedTokenState): string {
  return minted.expiresAt
    ? `it stays valid until it expires at ${logText(minted.expiresAt)}`
    : 'it does not expire'
}

/**
 * DELETE /tokens/self within the budget. The client waits out a 429 whose reset fits the
 * deadline; one whose reset lies beyond it is tried again every few seconds until the budget is
 * spent (the budget may come back early: another job's writes end, or a proxy's limit clears).
 */
async function revokeSelfWithinBudget(
  deps: StepDeps,
  own: FastlyTokensClient,
  deadline: number
): Promise<void> {
  for (;;) {
    try {
      await own.revokeTokenCurrent({ deadline })
      return
    } catch (error) {
      const left = deadline - deps.now()
      if (!(error instanceof RateLimitError) || left <= RATE_LIMITED_RETRY_MS) throw error
      deps.runner.debug(`DELETE /tokens/self rate limited; trying again in ${RATE_LIMITED_RETRY_MS / 1000} s`)
      await sleep(RATE_LIMITED_RETRY_MS)
    }
  }
}

async function revokeMinted(
  deps: StepDeps,
  minted: MintedTokenState,
  clients: FastlyTokensClient[]
): Promise<PostReport> {
  const id = minted.tokenId
  const apiUrl = parseApiUrl(minted.apiUrl)
  const baseUrl = apiUrl.ok ? apiUrl.url : 'https://api.fastly.com'
  const deadline = deps.now() + POST_DEADLINE_MS
  const own = deps.createClient({ baseUrl, apiToken: minted.token, retry: POST_RETRY })
  clients.push(own)
  try {
    await revokeSelfWithinBudget(deps, own, deadline)
    return { outcome: 'revoked', line: `Revoked token ${id} (DELETE /tokens/self with the token itself)` }
  } catch (error) {
    if (isExpiredAnswer(error)) {
      const { apiMessage, detail } = error as FastlyApiError
      const said = [apiMessage, detail].filter(Boolean).join(': ')
      return {
        outcome: 'expired',
        line: `Token ${id} had already expired (HTTP 401: ${logText(said)}); nothing to revoke`
      }
    }
    if (isGone(error)) {
      return {
        outcome: 'already-gone',
        line: `Token ${id} was already revoked or expired (${shortReason(error)})`
      }
    }
    if (!(error instanceof FastlyApiError && error.status === 403)) {
      return {
        outcome: 'left-alive',
        line: `Could not revoke token ${id}: ${describeFailure(error)}; ${liveUntil(minted)}`
      }
    }
    // Refused self-revocation (e.g. a read-only token): an api-token may revoke it by id.
    const refused = shortReason(error)
    const apiToken = deps.runner.getInput('api-token')
    if (!apiToken) {
      return {
        outcome: 'left-alive',
        line: `The API refused to let token ${id} revoke itself (${refused}) and no api-token was given to revoke it by id; ${liveUntil(minted)}`
      }
    }
    try {
      await own.withToken(apiToken).revokeToken(id, { deadline })
      return {
        outcome: 'revoked-by-id',
        line: `Revoked token ${id} with api-token (DELETE /tokens/${id}) after the API refused self-revocation (${refused})`
      }
    } catch (fallbackError) {
      if (fallbackError instanceof FastlyApiError && fallbackError.status === 404) {
        return {
          outcome: 'already-gone',
          line: `Token ${id} was already revoked (${shortReason(fallbackError)})`
        }
      }
      return {
        outcome: 'left-alive',
        line: `Could not revoke token ${id}: self-revocation refused (${refused}), then DELETE /tokens/${id} with api-token failed: ${describeFailure(fallbackError)}; ${liveUntil(minted)}`
      }
    }
  }
}

/** main sent a mint request and ended before the answer: look for the token with api-token. */
async function settlePending(
  deps: StepDeps,
  pending: PendingMintState,
  clients: FastlyTokensClient[]
): Promise<PostReport> {
  const apiToken = deps.runner.getInput('api-token')
  let lister: FastlyTokensClient | undefined
  const apiUrl = parseApiUrl(pending.apiUrl)
  if (apiToken && apiUrl.ok) {
    lister = deps.createClient({ baseUrl: apiUrl.url, apiToken, retry: POST_RETRY })
    clients.push(lister)
  }
  const report = await findLostMint(
    deps,
    pending,
    lister,
    'The main step ended before its mint request answered'
  )
  return report.revokedId
    ? { outcome: 'reclaimed', line: report.text }
    : { outcome: 'unanswered', line: report.text }
}

async function decidePost(deps: StepDeps, clients: FastlyTokensClient[]): Promise<PostReport> {
  const { runner } = deps
  const state = loadPostState(runner)
  if (state.kind === 'pending') return settlePending(deps, state.pending, clients)
  if (state.kind === 'none') {
    return { outcome: 'nothing-minted', line: 'Nothing to revoke: the main step minted no token' }
  }
  if (state.kind === 'revoked-by-main') {
    return {
      outcome: 'revoked-by-main',
      line: `Nothing to revoke: the main step already revoked token ${state.tokenId}`
    }
  }
  const { minted } = state
  maskValue(runner, minted.token)
  if (!minted.revoke) {
    return { outcome: 'kept', line: `Kept token ${minted.tokenId} (revoke: false); ${liveUntil(minted)}` }
  }
  const expiresAt = minted.expiresAt ? Date.parse(minted.expiresAt) : NaN
  if (Number.isFinite(expiresAt) && deps.now() > expiresAt + CLOCK_SKEW_MS) {
    return {
      outcome: 'expired',
      line: `Token ${minted.tokenId} already expired at ${minted.expiresAt}; nothing to revoke`
    }
  }
  return revokeMinted(deps, minted, clients)
}

export async function runPost(deps: StepDeps): Promise<PostReport> {
  const { runner } = deps
  const clients: FastlyTokensClient[] = []
  let report: PostReport
  try {
    maskSecretInputs(runner)
    report = await decidePost(deps, clients)
  } catch (error) {
    report = { outcome: 'left-alive', line: `The post step could not finish: ${describeFailure(error)}` }
  } finally {
    await Promise.allSettled(clients.map(c => c.close()))
  }
  if (report.outcome === 'left-alive' || report.outcome === 'unanswered')
    runner.warning(report.line, { title: 'Fastly token not revoked' })
  else runner.info(report.line)
  // Escaped like every other summary text: Fastly's message may hold `<`, `&` or `|`. Best effort:
  // the runner warns once when the file cannot be written, and cleanup never fails the job.
  await runner.appendSummary(`**Fastly token (post step):** ${escapeCell(report.line)}\n`)
  return report
}
