/**
 * The post step: take the job's token away, whatever happened to the job. It never fails the job:
 * cleanup that breaks a green build teaches people to turn cleanup off. Every outcome is one log
 * line and one summary line; a token left alive is a warning that says why and until when.
 */
import { FastlyApiError, type FastlyTokensClient } from '../client/index.js'
import { parseApiUrl } from './api-url.js'
import { describeFailure, shortReason } from './failure.js'
import type { StepDeps } from './step-deps.js'
import { maskSecretInputs, maskValue } from './masking.js'
import { loadPostState, type MintedTokenState } from './state.js'
import { logText } from '../text/log-text.js'
import { markdownText } from './summary.js'

/** Total time the post step may spend retrying 5xx, 429 and network failures. */
const POST_DEADLINE_MS = 60_000
/** More attempts than a main-step call: post has time, and a token left alive is the worst outcome. */
const POST_RETRY = { maxAttempts: 6 }
/** A token is skipped as expired only this long after its expiry: our clock may run ahead. */
const CLOCK_SKEW_MS = 30_000

export type PostOutcome =
  | 'nothing-minted'
  | 'revoked-by-main'
  | 'kept'
  | 'expired'
  | 'revoked'
  | 'revoked-by-id'
  | 'already-gone'
  | 'left-alive'

export interface PostReport {
  outcome: PostOutcome
  /** One line, for the log and the summary. */
  line: string
}

function isGone(error: unknown): boolean {
  return error instanceof FastlyApiError && (error.status === 401 || error.status === 404)
}

function liveUntil(minted: MintedTokenState): string {
  return minted.expiresAt
    ? `it stays valid until it expires at ${logText(minted.expiresAt)}`
    : 'it does not expire'
}

async function revokeMinted(
  deps: StepDeps,
  minted: MintedTokenState,
  clients: FastlyTokensClient[]
): Promise<PostReport> {
  const id = minted.tokenId
  const shownId = logText(id)
  const apiUrl = parseApiUrl(minted.apiUrl)
  const baseUrl = apiUrl.ok ? apiUrl.url : 'https://api.fastly.com'
  const deadline = deps.now() + POST_DEADLINE_MS
  const own = deps.createClient({ baseUrl, apiToken: minted.token, retry: POST_RETRY })
  clients.push(own)
  try {
    await own.revokeTokenCurrent({ deadline })
    return {
      outcome: 'revoked',
      line: `Revoked token ${shownId} (DELETE /tokens/self with the token itself)`
    }
  } catch (error) {
    if (isGone(error)) {
      return {
        outcome: 'already-gone',
        line: `Token ${shownId} was already revoked or expired (${shortReason(error)})`
      }
    }
    if (!(error instanceof FastlyApiError && error.status === 403)) {
      return {
        outcome: 'left-alive',
        line: `Could not revoke token ${shownId}: ${describeFailure(error)}; ${liveUntil(minted)}`
      }
    }
    // Refused self-revocation (e.g. a read-only token): an api-token may revoke it by id.
    const refused = shortReason(error)
    const apiToken = deps.runner.getInput('api-token')
    if (!apiToken) {
      return {
        outcome: 'left-alive',
        line: `The API refused to let token ${shownId} revoke itself (${refused}) and no api-token was given to revoke it by id; ${liveUntil(minted)}`
      }
    }
    try {
      await own.withToken(apiToken).revokeToken(id, { deadline })
      return {
        outcome: 'revoked-by-id',
        line: `Revoked token ${shownId} with api-token (DELETE /tokens/${shownId}) after the API refused self-revocation (${refused})`
      }
    } catch (fallbackError) {
      if (fallbackError instanceof FastlyApiError && fallbackError.status === 404) {
        return {
          outcome: 'already-gone',
          line: `Token ${shownId} was already revoked (${shortReason(fallbackError)})`
        }
      }
      return {
        outcome: 'left-alive',
        line: `Could not revoke token ${shownId}: self-revocation refused (${refused}), then DELETE /tokens/${shownId} with api-token failed: ${describeFailure(fallbackError)}; ${liveUntil(minted)}`
      }
    }
  }
}

async function decidePost(deps: StepDeps, clients: FastlyTokensClient[]): Promise<PostReport> {
  const { runner } = deps
  const state = loadPostState(runner)
  if (state.kind === 'none') {
    return { outcome: 'nothing-minted', line: 'Nothing to revoke: the main step minted no token' }
  }
  if (state.kind === 'revoked-by-main') {
    return {
      outcome: 'revoked-by-main',
      line: `Nothing to revoke: the main step already revoked token ${logText(state.tokenId)}`
    }
  }
  const { minted } = state
  maskValue(runner, minted.token)
  if (!minted.revoke) {
    return {
      outcome: 'kept',
      line: `Kept token ${logText(minted.tokenId)} (revoke: false); ${liveUntil(minted)}`
    }
  }
  const expiresAt = minted.expiresAt ? Date.parse(minted.expiresAt) : NaN
  if (Number.isFinite(expiresAt) && deps.now() > expiresAt + CLOCK_SKEW_MS) {
    return {
      outcome: 'expired',
      line: `Token ${logText(minted.tokenId)} already expired at ${logText(minted.expiresAt)}; nothing to revoke`
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
  if (report.outcome === 'left-alive') runner.warning(report.line, { title: 'Fastly token not revoked' })
  else runner.info(report.line)
  try {
    // Escaped like every other summary text: Fastly's message may hold `<`, `&`, `|` or a link.
    await runner.appendSummary(`**Fastly token (post step):** ${markdownText(report.line)}\n`)
  } catch (error) {
    // An unwritable summary file must not turn cleanup into a failed job.
    runner.warning(`Could not write the job summary: ${describeFailure(error)}`)
  }
  return report
}
