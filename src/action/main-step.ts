/**
 * The main step: inputs -> masks -> (mint -> mask -> state -> verify -> outputs/env) -> revoke the
 * listed ids and leaked values -> summary; or, with `mode: audit`, the audit. Each arrow is one call
 * and nothing goes back up; the step fails with one clear message and never with a stack trace.
 */
import { FastlyApiError, type FastlyTokensClient } from '../client/index.js'
import { formatDuration } from '../input/index.js'
import type { CreatedToken } from '../types.js'
import { runAudit } from './audit-run.js'
import { describeFailure } from './failure.js'
import { revokeIdsAndValues } from './incident.js'
import { InputError, parseInputs, type ActionConfig } from './inputs.js'
import type { MintConfig } from './mint-inputs.js'
import { maskSecretInputs, maskValue } from './masking.js'
import { askedExpiry, mintToken, tokenMismatches } from './mint.js'
import { MAIN_DEADLINE_MS, type StepDeps } from './step-deps.js'
import { saveMintedToken, saveRevokedByMain } from './state.js'
import { logText } from '../text/log-text.js'
import { markdownCode, markdownLines, markdownText, summarySection } from './summary.js'
import { isUnansweredMint, settleUnansweredMint } from './unanswered-mint.js'

function servicesText(services: string[]): string {
  return services.length === 0 ? 'all services' : services.join(', ')
}

async function mintAndHandOver(
  deps: StepDeps,
  config: ActionConfig,
  mint: MintConfig,
  base: FastlyTokensClient
): Promise<FastlyTokensClient | undefined> {
  const { runner } = deps
  const flow = mint.username ? 'username and password' : 'the sudo flow (api-token and password)'
  runner.info(
    `Minting token "${logText(mint.name)}" with ${flow}: scope ${mint.scope}, ${logText(servicesText(mint.services))}, expires in ${formatDuration(mint.expiresInMs)}`
  )
  const sentAt = deps.now()
  const expiresAt = askedExpiry(mint, sentAt)
  let created: CreatedToken
  try {
    created = await mintToken(base, mint, expiresAt, { now: deps.now, mask: v => maskValue(runner, v) })
  } catch (error) {
    // The API may have minted although the answer was lost: say so, and with api-token find and
    // revoke it. The step still fails with the create error itself (runMain's catch).
    if (isUnansweredMint(error))
      await settleUnansweredMint(
        deps,
        { config: mint, expiresAt, sentAt },
        config.apiToken ? base : undefined
      )
    throw error
  }
  // Masked before it appears anywhere: state, outputs and env come after this line.
  maskValue(runner, created.access_token)
  saveMintedToken(runner, {
    token: created.access_token,
    tokenId: created.id,
    expiresAt: created.expires_at ?? '',
    apiUrl: config.apiUrl,
    revoke: config.revoke
  })
  runner.info(`Minted token ${logText(created.id)} (expires ${logText(created.expires_at ?? 'never')})`)
  const budget = base.rateLimit
  if (budget) {
    const reset = new Date(budget.resetEpochSeconds * 1000).toISOString()
    runner.debug(`write budget after the mint: ${budget.remaining} requests left until ${reset}`)
  }

  const own = base.withToken(created.access_token)
  let problems: string[]
  try {
    const self = await own.getTokenCurrent({ deadline: deps.now() + MAIN_DEADLINE_MS })
    problems = tokenMismatches(mint, expiresAt, self)
  } catch (error) {
    problems = [`it could not be read back with GET /tokens/self: ${describeFailure(error)}`]
  }
  if (problems.length > 0) {
    // Nothing may be stranded: take the token back now; post retries if this fails too.
    let revoked = 'revoked it again'
    try {
      await own.revokeTokenCurrent({ deadline: deps.now() + 60_000 })
      saveRevokedByMain(runner)
    } catch (error) {
      if (error instanceof FastlyApiError && (error.status === 401 || error.status === 404))
        saveRevokedByMain(runner)
      else revoked = `could not revoke it yet (${describeFailure(error)}); the post step will try again`
    }
    await runner.appendSummary(
      summarySection(
        'Fastly token',
        `Minted token ${markdownCode(created.id)} did not match the request and was refused: ${markdownText(problems.join('; '))}.`
      )
    )
    runner.setFailed(
      `The minted token ${logText(created.id)} is not what was asked for: ${problems.join('; ')}. The action ${revoked}.`
    )
    return undefined
  }
  runner.info(
    `Verified with GET /tokens/self: scope ${mint.scope}, ${logText(servicesText(mint.services))}, expires ${logText(String(created.expires_at))}`
  )

  runner.setOutput('token', created.access_token)
  runner.setOutput('token-id', created.id)
  runner.setOutput('expires-at', created.expires_at ?? '')
  runner.setOutput('scope', created.scope)
  if (config.exportEnv) {
    runner.exportVariable('FASTLY_API_TOKEN', created.access_token)
    runner.info('Exported FASTLY_API_TOKEN for the later steps of this job')
  }
  const fate = config.revoke
    ? 'the post step revokes it when the job ends'
    : `revoke: false, so it stays valid until it expires at ${logText(String(created.expires_at))}`
  runner.info(`Token ${logText(created.id)} is ready; ${fate}`)
  await runner.appendSummary(
    summarySection(
      'Fastly token',
      `Minted ${markdownCode(created.name)} (id ${markdownCode(created.id)}, scope ${markdownCode(created.scope)}, ${markdownText(servicesText(created.services))}), expires ${markdownCode(String(created.expires_at))}; ${markdownText(fate)}.`
    )
  )
  return own
}

export async function runMain(deps: StepDeps): Promise<void> {
  const { runner } = deps
  const clients: FastlyTokensClient[] = []
  try {
    // First thing, before parsing (a parse problem must not be the first place a secret shows).
    const masked = maskSecretInputs(runner)
    runner.debug(`masked ${masked} secret input value(s)`)
    const config = parseInputs({
      read: name => runner.getInput(name),
      readTextFile: deps.readTextFile,
      context: deps.context,
      now: deps.now()
    })
    const base = deps.createClient({
      baseUrl: config.apiUrl,
      ...(config.apiToken ? { apiToken: config.apiToken } : {})
    })
    clients.push(base)

    if (config.mode === 'audit') {
      await runAudit(deps, config, base)
      return
    }

    let minted: FastlyTokensClient | undefined
    if (config.mint) {
      minted = await mintAndHandOver(deps, config, config.mint, base)
      if (!minted) return
    }
    if (config.revokeIds.length + config.malformedIds.length + config.revokeValues.length > 0) {
      // Ids are revoked with api-token when given, else with the token just minted.
      const idClient = config.apiToken ? base : minted
      await revokeIdsAndValues(deps, config, base, idClient)
    } else {
      runner.setOutput('revoked-ids', '[]')
      runner.setOutput('failed-ids', '[]')
    }
  } catch (error) {
    const message =
      error instanceof InputError ? `${error.message}\nNo request was sent.` : describeFailure(error)
    runner.setFailed(message)
    try {
      await runner.appendSummary(summarySection('Fastly token', `The step failed: ${markdownLines(message)}`))
    } catch {
      // The failure is already reported; a summary file problem must not hide it.
    }
  } finally {
    await Promise.allSettled(clients.map(c => c.close()))
  }
}
