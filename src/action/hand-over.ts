/**
 * From the moment a token exists until the post step owns it: mask it, save it to state, verify
 * it with GET /tokens/self, then outputs and FASTLY_API_TOKEN. Every failure on that path (a
 * runner file that breaks after the checks, a full disk, a token that is not what was asked)
 * takes the token back at once with DELETE /tokens/self, or, when that fails too, says in a
 * warning which token is alive and until when. Nothing minted is left for an expiry nobody checked.
 */
import { FastlyApiError, type FastlyTokensClient } from '../client/index.js'
import { logText } from '../text/log-text.js'
import { checkCancelled, StepCancelled } from './cancellation.js'
import { describeFailure } from './failure.js'
import type { ActionConfig } from './inputs.js'
import { maskValue } from './masking.js'
import { MAIN_DEADLINE_MS, type StepDeps } from './step-deps.js'
import { saveMintedToken, saveRevokedByMain } from './state.js'
import { escapeCell, summarySection } from './summary.js'

/** The minted token as the step received it (from POST /tokens or from the broker). */
export interface ReceivedToken {
  access_token: string
  id: string
  name: string
  scope: string
  services: string[]
  expires_at: string | null
}

export type HandOver =
  | { ok: true; own: FastlyTokensClient }
  /** The token is revoked (or named in a warning); `reason` is the step's failure. */
  | { ok: false; reason: string }

/** How long taking a token back may take: one DELETE and its retries. */
const TAKE_BACK_MS = 60_000

function servicesText(services: readonly string[]): string {
  return services.length === 0 ? 'all services' : services.map(logText).join(', ')
}

/**
 * DELETE /tokens/self with the token; on success post is told there is nothing left. Returns the
 * end of the failure sentence ("The action …"). Never throws.
 */
async function takeBack(
  deps: StepDeps,
  own: FastlyTokensClient,
  token: ReceivedToken,
  stateHoldsIt: boolean
): Promise<string> {
  const { runner } = deps
  const id = logText(token.id)
  let gone: boolean
  let why = ''
  try {
    await own.revokeTokenCurrent({ deadline: deps.now() + TAKE_BACK_MS })
    gone = true
  } catch (error) {
    gone = error instanceof FastlyApiError && (error.status === 401 || error.status === 404)
    why = describeFailure(error)
  }
  if (gone) {
    try {
      saveRevokedByMain(runner)
    } catch {
      // State cannot be written: post then finds the token already gone (401), which is the truth.
    }
    return 'revoked it again'
  }
  if (stateHoldsIt) return `could not revoke it yet (${why}); the post step will try again`
  const until = token.expires_at ? `until it expires at ${logText(token.expires_at)}` : 'and never expires'
  runner.warning(
    `Token ${id} is alive ${until}: the step could not hand it to the post step and DELETE /tokens/self failed (${why}). Revoke it (\`fastly-tokens revoke --id ${id}\`) or let it expire.`,
    { title: 'Fastly token left alive' }
  )
  return `could not revoke it (${why}); it stays valid ${until}`
}

/**
 * The hand-over. `problemsOf` compares GET /tokens/self with what was asked. Throws only
 * StepCancelled, and only once the token is in state (post revokes it).
 */
export async function handOver(
  deps: StepDeps,
  config: ActionConfig,
  base: FastlyTokensClient,
  token: ReceivedToken,
  problemsOf: (self: import('../types.js').Token) => string[]
): Promise<HandOver> {
  const { runner } = deps
  // Masked before it appears anywhere: state, outputs and env come after this line.
  maskValue(runner, token.access_token)
  const own = base.withToken(token.access_token)
  const id = logText(token.id)
  const expires = logText(token.expires_at ?? 'never')
  let stateHoldsIt = false
  let stage = 'saving it to the state for the post step'
  try {
    saveMintedToken(runner, {
      token: token.access_token,
      tokenId: token.id,
      expiresAt: token.expires_at ?? '',
      apiUrl: config.apiUrl,
      revoke: config.revoke
    })
    stateHoldsIt = true
    runner.info(`Minted token ${id} (expires ${expires})`)
    checkCancelled(deps.cancellation, `after the mint; token ${id} is in state and the post step revokes it`)

    let problems: string[]
    try {
      const self = await own.getTokenCurrent({ deadline: deps.now() + MAIN_DEADLINE_MS })
      problems = problemsOf(self)
    } catch (error) {
      problems = [`it could not be read back with GET /tokens/self: ${describeFailure(error)}`]
    }
    if (problems.length > 0) {
      const revoked = await takeBack(deps, own, token, stateHoldsIt)
      await runner.appendSummary(
        summarySection(
          'Fastly token',
          `Minted token \`${escapeCell(token.id)}\` did not match the request and was refused: ${escapeCell(problems.join('; '))}.`
        )
      )
      return {
        ok: false,
        reason: `The minted token ${id} is not what was asked for: ${problems.join('; ')}. The action ${revoked}.`
      }
    }
    runner.info(
      `Verified with GET /tokens/self: scope ${logText(token.scope)}, ${servicesText(token.services)}, expires ${expires}`
    )
    checkCancelled(deps.cancellation, `after the mint; token ${id} is in state and the post step revokes it`)

    stage = 'setting the step outputs'
    runner.setOutput('token', token.access_token)
    runner.setOutput('token-id', token.id)
    runner.setOutput('expires-at', token.expires_at ?? '')
    runner.setOutput('scope', token.scope)
    if (config.exportEnv) {
      stage = 'exporting FASTLY_API_TOKEN'
      runner.exportVariable('FASTLY_API_TOKEN', token.access_token)
      runner.info('Exported FASTLY_API_TOKEN for the later steps of this job')
    }
  } catch (error) {
    if (error instanceof StepCancelled) throw error
    const revoked = await takeBack(deps, own, token, stateHoldsIt)
    return {
      ok: false,
      reason: `The minted token ${id} could not be handed over (${stage} failed: ${describeFailure(error)}). The action ${revoked}.`
    }
  }
  const fate = config.revoke
    ? 'the post step revokes it when the job ends'
    : `revoke: false, so it stays valid until it expires at ${expires}`
  runner.info(`Token ${id} is ready; ${fate}`)
  await runner.appendSummary(
    summarySection(
      'Fastly token',
      `Minted \`${escapeCell(token.name)}\` (id \`${escapeCell(token.id)}\`, scope \`${escapeCell(token.scope)}\`, ${escapeCell(servicesText(token.services))}), expires ${escapeCell(expires)}; ${escapeCell(fate)}.`
    )
  )
  return { ok: true, own }
}
