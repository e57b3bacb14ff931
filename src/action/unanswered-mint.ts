/**
 * POST /tokens failed in a way that leaves open whether the API minted: a 5xx, a connection lost
 * after the request was written, a timeout, or a 200 whose body could not be read. The action never
 * received the token, so the post step cannot revoke it, and left alone it stays valid until the
 * expiry that was asked for. The job's owner must hear of it: under which name and until when.
 *
 * With api-token the step can do better: GET /tokens lists that user's tokens (the sudo flow mints
 * for exactly that user), so it looks for the token and revokes it by id. A candidate must match
 * everything this request asked for (the exact name, scope, services, the expiry within the API's
 * tolerance), be created no earlier than shortly before the request left, and never have been
 * used: nobody holds its value, whereas a token minted under the same name by a sibling matrix job
 * (GITHUB_JOB is the same for every leg) is read back with itself at once. Only a single candidate
 * is revoked; two or more are named and left alone, since guessing wrong would cut off another job.
 */
import { FastlyApiError, mayHaveTakenEffect, type FastlyTokensClient } from '../client/index.js'
import type { Token } from '../types.js'
import { describeFailure } from './failure.js'
import { logText } from '../text/log-text.js'
import { tokenMismatches } from './mint.js'
import type { StepDeps } from './step-deps.js'
import { escapeCell, summarySection } from './summary.js'

/** How far the API's created_at may lie before our clock's send time (skew between the two clocks). */
export const CREATED_SKEW_MS = 2 * 60_000

/** The bound on the search: a list and perhaps one revocation. */
const SEARCH_DEADLINE_MS = 60_000

/** What the lost request asked for. */
export interface UnansweredMint {
  name: string
  /** Space-delimited, as asked. */
  scope: string
  services: string[]
  /** The expiry sent (the API's timestamp form). */
  expiresAt: string
  /** Epoch ms on the step's clock, just before the request left. */
  sentAt: number
}

/** A failed create that may have minted (as opposed to one refused, or never sent). */
export function isUnansweredMint(error: unknown): boolean {
  return (
    error instanceof FastlyApiError &&
    error.method === 'POST' &&
    error.path === '/tokens' &&
    mayHaveTakenEffect(error)
  )
}

/** The listed tokens that can only be the lost one: see the file comment for each condition. */
export function lostTokenCandidates(mint: UnansweredMint, tokens: readonly Token[], now: number): Token[] {
  return tokens.filter(t => {
    if (t.name !== mint.name) return false
    if (tokenMismatches(mint, mint.expiresAt, t).length > 0) return false
    const created = Date.parse(t.created_at)
    if (!(created >= mint.sentAt - CREATED_SKEW_MS && created <= now + CREATED_SKEW_MS)) return false
    return (t.last_used_at ?? null) === null
  })
}

function mayExist(
  mint: UnansweredMint,
  what = 'POST /tokens failed after the request may have reached Fastly'
): string {
  return (
    `${what}: the API may have minted a token ` +
    `named "${logText(mint.name)}" that expires at ${mint.expiresAt}. The action never received it, so ` +
    'the post step cannot revoke it with the token itself.'
  )
}

function howToFind(mint: UnansweredMint): string {
  return (
    `Look for it by name (\`fastly-tokens audit --name "${logText(mint.name)}"\`, or \`fastly-tokens list\` ` +
    "as the token's user) and revoke it by id (`fastly-tokens revoke --id <id>`), or let it expire."
  )
}

/**
 * The warning when a cancelled step's grace ends before the mint answered: the same as for a lost
 * answer. With api-token the post step looks for the token (the pending mint is in state).
 */
export function graceEndWarning(mint: UnansweredMint, withApiToken: boolean): string {
  const what = 'The job was cancelled and the grace ended before POST /tokens answered'
  return withApiToken
    ? `${mayExist(mint, what)} The post step looks for it with api-token and revokes it by id.`
    : `${mayExist(mint, what)} ${howToFind(mint)}`
}

/** What the search found, as one line; `alive` when a token may be left that nobody revokes. */
export interface LostMintReport {
  text: string
  alive: boolean
  /** The lost token was found and revoked by id. */
  revokedId?: string
}

async function tell(deps: StepDeps, report: LostMintReport): Promise<void> {
  if (report.alive) deps.runner.warning(report.text, { title: 'A token may have been minted' })
  else deps.runner.info(report.text)
  await deps.runner.appendSummary(summarySection('Fastly token', escapeCell(report.text)))
}

/**
 * Says what may exist, and with `lister` (a client with api-token) finds and revokes it. Never
 * throws: the caller goes on to fail the step with the create error itself.
 */
export async function settleUnansweredMint(
  deps: StepDeps,
  mint: UnansweredMint,
  lister: FastlyTokensClient | undefined
): Promise<void> {
  await tell(deps, await findLostMint(deps, mint, lister))
}

/** Looks for the lost token with `lister` and revokes a single candidate; never throws. */
export async function findLostMint(
  deps: Pick<StepDeps, 'now'>,
  mint: UnansweredMint,
  lister: FastlyTokensClient | undefined,
  what?: string
): Promise<LostMintReport> {
  if (!lister) return { text: `${mayExist(mint, what)} ${howToFind(mint)}`, alive: true }
  const deadline = deps.now() + SEARCH_DEADLINE_MS
  let candidates: Token[]
  try {
    candidates = lostTokenCandidates(mint, await lister.listTokensUser({ deadline }), deps.now())
  } catch (error) {
    return {
      text: `${mayExist(mint, what)} Looking for it with api-token failed (${describeFailure(error)}). ${howToFind(mint)}`,
      alive: true
    }
  }
  if (candidates.length === 0) {
    return {
      text:
        `${mayExist(mint, what)} GET /tokens with api-token lists no unused token of that name, scope and expiry ` +
        "created since the request: most likely none was minted. If api-token belongs to another user than the token's, check that user's tokens too.",
      alive: true
    }
  }
  if (candidates.length > 1) {
    const ids = candidates.map(t => logText(t.id)).join(', ')
    return {
      text: `${mayExist(mint, what)} GET /tokens lists ${candidates.length} unused tokens that fit (${ids}); another job may have minted the same name at the same moment, so none was revoked. Revoke the one that is not in use (\`fastly-tokens revoke --id <id>\`), or let them expire.`,
      alive: true
    }
  }
  const [lost] = candidates as [Token]
  const id = logText(lost.id)
  try {
    await lister.revokeToken(lost.id, { deadline })
  } catch (error) {
    // 404: gone already (expired, or revoked by someone else); anything else leaves it alive.
    if (!(error instanceof FastlyApiError && error.status === 404)) {
      return {
        text: `${mayExist(mint, what)} It is token ${id}, but revoking it with api-token failed (${describeFailure(error)}): revoke it (\`fastly-tokens revoke --id ${id}\`) or let it expire.`,
        alive: true
      }
    }
  }
  return {
    text: `The API had minted token ${id} ("${logText(mint.name)}", expires ${logText(lost.expires_at ?? 'never')}) although ${what ? 'main never received it' : 'POST /tokens failed'}; revoked it with api-token (DELETE /tokens/${id}).`,
    alive: false,
    revokedId: lost.id
  }
}
