/**
 * The main step: inputs -> masks -> runner-file checks -> (mint -> hand-over) -> revoke the listed
 * ids and leaked values -> summary; or, with `mode: audit`, the audit. A failed mint does not skip
 * the incident work next to it: every part is tried and the step fails with every reason. The
 * step fails with clear messages and never with a stack trace.
 */
import { FastlyApiError, mayHaveTakenEffect, type FastlyTokensClient } from '../client/index.js'
import { UnusableCreatedTokenError } from '../client/index.js'
import { formatDuration } from '../input/index.js'
import { logText } from '../text/log-text.js'
import { runAudit } from './audit-run.js'
import { brokerMintAndHandOver } from './broker-mint.js'
import { checkCancelled, letSignalsIn, StepCancelled } from './cancellation.js'
import { describeFailure } from './failure.js'
import { handOver } from './hand-over.js'
import { revokeIdsAndValues } from './incident.js'
import { InputError, parseInputs, type ActionConfig } from './inputs.js'
import type { MintConfig } from './mint-inputs.js'
import { maskSecretInputs, maskValue } from './masking.js'
import { askedExpiry, mintToken, tokenMismatches } from './mint.js'
import type { RunnerFile } from './runner-files.js'
import { MAIN_DEADLINE_MS, type StepDeps } from './step-deps.js'
import { clearPendingMint, savePendingMint } from './state.js'
import { escapeCell, summarySection } from './summary.js'
import {
  graceEndWarning,
  isUnansweredMint,
  settleUnansweredMint,
  type UnansweredMint
} from './unanswered-mint.js'

/** The runner files this run will write; all are checked before the first request. */
function neededFiles(config: ActionConfig): RunnerFile[] {
  const files: RunnerFile[] = ['GITHUB_OUTPUT']
  if (config.mint || config.broker) {
    files.push('GITHUB_STATE')
    if (config.exportEnv) files.push('GITHUB_ENV')
  }
  return files
}

class RunnerFilesError extends Error {
  override name = 'RunnerFilesError'
}

function servicesText(services: string[]): string {
  return services.length === 0 ? 'all services' : services.map(logText).join(', ')
}

/** A mint that was never sent because the job was cancelled first (the call's `stop`). */
function cancelledBeforeSending(deps: StepDeps, error: unknown): boolean {
  return (
    deps.cancellation?.stop.aborted === true &&
    error instanceof FastlyApiError &&
    error.code === 'aborted' &&
    !mayHaveTakenEffect(error)
  )
}

/**
 * Mints with the password flows and hands the token over. Returns the minted token's client, or
 * the reason the step must fail; throws only StepCancelled.
 */
async function mintAndHandOver(
  deps: StepDeps,
  config: ActionConfig,
  mint: MintConfig,
  base: FastlyTokensClient
): Promise<{ own?: FastlyTokensClient; failure?: string }> {
  const { runner } = deps
  const flow = mint.username ? 'username and password' : 'the sudo flow (api-token and password)'
  runner.info(
    `Minting token "${logText(mint.name)}" with ${flow}: scope ${mint.scope}, ${servicesText(mint.services)}, expires in ${formatDuration(mint.expiresInMs)}`
  )
  const sentAt = deps.now()
  const expiresAt = askedExpiry(mint, sentAt)
  const pending: UnansweredMint = {
    name: mint.name,
    scope: mint.scope,
    services: mint.services,
    expiresAt,
    sentAt
  }
  checkCancelled(deps.cancellation, 'before the mint request was sent; nothing was minted')
  // In state before the request leaves: if this process ends before the answer, post knows.
  try {
    savePendingMint(runner, { ...pending, apiUrl: config.apiUrl })
  } catch (error) {
    return {
      failure: `GITHUB_STATE (the runner's file for state for the post step) cannot be written (${describeFailure(error)}), so a minted token could not reach the post step: nothing was minted`
    }
  }
  const undoGraceWarning = deps.cancellation?.onGraceEnd(() =>
    runner.warning(graceEndWarning(pending, config.apiToken !== undefined), {
      title: 'A token may have been minted'
    })
  )
  let created
  try {
    created = await mintToken(base, mint, expiresAt, {
      mask: v => maskValue(runner, v),
      ...(deps.cancellation ? { stop: deps.cancellation.stop } : {}),
      deadline: deps.now() + MAIN_DEADLINE_MS
    })
  } catch (error) {
    undoGraceWarning?.()
    if (cancelledBeforeSending(deps, error)) {
      clearPendingMint(runner)
      throw new StepCancelled(
        `The job was cancelled (${deps.cancellation?.signalName ?? 'signal'}) before the mint request was sent; nothing was minted.`
      )
    }
    if (error instanceof UnusableCreatedTokenError) {
      // The client took it back, or says it could not: either way it is named, not searched for.
      clearPendingMint(runner)
      if (!error.revoked)
        runner.warning(`${describeFailure(error)}; it expires at ${expiresAt} at the latest`, {
          title: 'Fastly token left alive'
        })
    } else if (isUnansweredMint(error)) {
      // The API may have minted although the answer was lost: say so, and with api-token find
      // and revoke it. The step still fails with the create error itself.
      await settleUnansweredMint(deps, pending, config.apiToken ? base : undefined)
      clearPendingMint(runner)
    } else clearPendingMint(runner)
    return { failure: describeFailure(error) }
  }
  undoGraceWarning?.()
  const budget = base.rateLimit
  if (budget) {
    const reset = new Date(budget.resetEpochSeconds * 1000).toISOString()
    runner.debug(`write budget after the mint: ${budget.remaining} requests left until ${reset}`)
  }
  const result = await handOver(deps, config, base, created, self => tokenMismatches(mint, expiresAt, self))
  return result.ok ? { own: result.own } : { failure: result.reason }
}

export async function runMain(deps: StepDeps): Promise<void> {
  const { runner } = deps
  const clients: FastlyTokensClient[] = []
  const failures: string[] = []
  try {
    // First thing, before parsing (a parse problem must not be the first place a secret shows).
    const masked = maskSecretInputs(runner)
    runner.debug(`masked ${masked} secret input value(s)`)
    const config = parseInputs({
      read: name => runner.getInput(name),
      readRaw: name => runner.getRawInput(name),
      readTextFile: deps.readTextFile,
      context: deps.context,
      now: deps.now()
    })
    const fileProblems = runner.checkFiles(neededFiles(config))
    if (fileProblems.length > 0) throw new RunnerFilesError(fileProblems.join('\n'))
    await letSignalsIn()
    checkCancelled(deps.cancellation, 'before any request was sent')
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
    if (config.mint || config.broker) {
      const outcome = config.broker
        ? await brokerMintAndHandOver(deps, config, config.broker, base)
        : await mintAndHandOver(deps, config, config.mint!, base)
      minted = outcome.own
      if (outcome.failure) failures.push(outcome.failure)
    }
    if (config.revokeIds.length + config.malformedIds.length + config.revokeValues.length > 0) {
      checkCancelled(deps.cancellation, 'before the listed tokens were revoked')
      // Ids are revoked with api-token when given, else with the token just minted (if it was).
      const idClient = config.apiToken ? base : minted
      const failure = await revokeIdsAndValues(deps, config, base, idClient)
      if (failure) failures.push(failure)
    } else if (failures.length === 0) {
      runner.setOutput('revoked-ids', '[]')
      runner.setOutput('failed-ids', '[]')
    }
  } catch (error) {
    const message =
      error instanceof InputError || error instanceof RunnerFilesError
        ? `${error.message}\nNo request was sent.`
        : describeFailure(error)
    failures.push(message)
  } finally {
    await Promise.allSettled(clients.map(c => c.close()))
  }
  if (failures.length > 0) {
    const message = failures.join('\n')
    runner.setFailed(message)
    await runner.appendSummary(summarySection('Fastly token', `The step failed: ${escapeCell(message)}`))
  }
}
