/**
 * Incident response from a workflow: the listed ids through the revoke engine (plan with reads,
 * chunk, bisect, spend the write budget, verify), the leaked values through the engine's values
 * path. This file only turns the engine's reports into outputs, log lines and a summary table.
 */
import type { FastlyTokensClient } from '../client/index.js'
import {
  revokeMany,
  revokeValues,
  type LeakedValueOutcome,
  type RevokeOutcome,
  type RevokeProgress
} from '../revoke/index.js'
import { describeFailure } from './failure.js'
import type { ActionConfig } from './inputs.js'
import { MAIN_DEADLINE_MS, type StepDeps } from './step-deps.js'
import { logText } from '../text/log-text.js'
import { markdownTable, summarySection } from './summary.js'

/** Value outcomes that need nothing more: the value no longer works (proven). */
const VALUE_DONE = new Set(['revoked', 'already-gone'])
/** Value outcomes that do not fail the step: done, a dry run's plan, or api-token kept (as for ids). */
const VALUE_NOT_FAILED = new Set([...VALUE_DONE, 'would-revoke', 'skipped-self'])

/** Outcomes that mean "this id could not be revoked"; the step fails when any is present. */
const FAILED_OUTCOMES = new Set(['not-found', 'forbidden', 'malformed', 'failed', 'left'])

function progressLogger(deps: StepDeps, total: number, what = 'ids') {
  let lastTenth = -1
  let lastLine = ''
  return (p: RevokeProgress) => {
    const tenth = Math.floor((p.done / Math.max(1, total)) * 10)
    if (tenth === lastTenth && p.done !== total) return
    lastTenth = tenth
    const left = p.total - p.done + p.left
    const line = `… ${p.done}/${p.total} ${what} settled: ${p.revoked} revoked, ${p.failed} failed, ${left} left, ${p.writes} write requests`
    // The engine may report the finished state more than once (after the writes, after the
    // verification): one line says it.
    if (line === lastLine) return
    lastLine = line
    deps.runner.info(line)
  }
}

/**
 * Revokes what the inputs list and sets the outputs. `idClient` undefined: the token that was to
 * revoke the ids could not be minted, so each id is reported failed (never silently skipped).
 * Returns the step's failure reason when any token could not be revoked.
 */
export async function revokeIdsAndValues(
  deps: StepDeps,
  config: ActionConfig,
  base: FastlyTokensClient,
  idClient: FastlyTokensClient | undefined
): Promise<string | undefined> {
  const { runner } = deps
  const outcomes: RevokeOutcome[] = []
  let failedCount = 0
  const summary: string[] = []

  if (config.malformedIds.length > 0) {
    runner.warning(
      `${config.malformedIds.length} malformed token id(s), never sent: ${config.malformedIds.map(logText).join(', ')}`,
      {
        title: 'Malformed token ids'
      }
    )
  }

  if (config.revokeIds.length > 0 && !idClient) {
    const reason = 'not tried: the token that was to revoke it (no api-token was given) could not be minted'
    for (const id of config.revokeIds) outcomes.push({ id, outcome: 'failed', reason })
  } else if (config.revokeIds.length > 0 && idClient) {
    const mode = config.dryRun ? 'Planning (dry run, no writes) the revocation of' : 'Revoking'
    runner.startGroup(`${mode} ${config.revokeIds.length} token id(s)`)
    try {
      const report = await revokeMany(idClient, config.revokeIds, {
        ...(config.customerId ? { customerId: config.customerId } : {}),
        deadline: deps.now() + MAIN_DEADLINE_MS,
        dryRun: config.dryRun,
        includeSelf: config.includeSelf,
        onProgress: progressLogger(deps, config.revokeIds.length)
      })
      warnSkippedSelf(runner, report.outcomes)
      for (const o of report.outcomes) outcomes.push(o)
      runner.info(
        `${report.writes} write and ${report.reads} read request(s)${report.learnedCap ? `, bulk size ${report.learnedCap}` : ''}${report.complete ? '' : `; ${report.leftIds.length} id(s) left for a second run (the write budget or deadline ran out)`}`
      )
    } catch (error) {
      // The engine reports per id; a throw means it could not start (e.g. the credentials were refused).
      const reason = describeFailure(error)
      for (const id of config.revokeIds) outcomes.push({ id, outcome: 'failed', reason })
    } finally {
      runner.endGroup()
    }
  }
  for (const id of config.malformedIds) {
    outcomes.push({
      id,
      outcome: 'malformed',
      reason: 'not a token id (expected 16 to 24 letters and digits); never sent'
    })
  }

  for (const o of outcomes) {
    const verified = o.outcome === 'revoked' ? (o.verified ? ' (verified gone)' : ' (not verified)') : ''
    runner.info(`${logText(o.id)}: ${o.outcome}${verified}${o.reason ? ` — ${o.reason}` : ''}`)
  }
  const revokedIds = outcomes.filter(o => o.outcome === 'revoked').map(o => o.id)
  const failedIds = outcomes.filter(o => FAILED_OUTCOMES.has(o.outcome)).map(o => o.id)
  failedCount += failedIds.length
  if (outcomes.length > 0) {
    // Problems first: with a row limit, those are the rows a responder must see.
    const sorted = [...outcomes].sort(
      (a, b) => Number(FAILED_OUTCOMES.has(b.outcome)) - Number(FAILED_OUTCOMES.has(a.outcome))
    )
    summary.push(
      summarySection(
        `Token ids: ${revokedIds.length} revoked, ${failedIds.length} not revoked${config.dryRun ? ' (dry run)' : ''}`,
        markdownTable(
          ['Token id', 'Outcome', 'Verified', 'Reason'],
          sorted.map(o => [
            o.id,
            o.outcome,
            o.outcome === 'revoked' ? (o.verified ? 'yes' : 'no') : '',
            o.reason ?? ''
          ])
        )
      )
    )
  }

  if (config.revokeValues.length > 0) {
    const how = config.dryRun
      ? 'each read with itself (free), no write sent'
      : idClient
        ? 'each read with itself, then their tokens revoked in bulk with the API token'
        : 'each revoking itself'
    const mode = config.dryRun ? 'Planning (dry run, no writes) the revocation of' : 'Revoking'
    runner.startGroup(`${mode} ${config.revokeValues.length} leaked token value(s): ${how}`)
    let valueOutcomes: LeakedValueOutcome[]
    try {
      const report = await revokeValues(base, config.revokeValues, {
        ...(idClient ? { admin: idClient } : {}),
        ...(config.customerId ? { customerId: config.customerId } : {}),
        deadline: deps.now() + MAIN_DEADLINE_MS,
        includeSelf: config.includeSelf,
        dryRun: config.dryRun,
        onNote: note => runner.warning(logText(note), { title: 'Leaked values' }),
        onProgress: progressLogger(deps, config.revokeValues.length, 'values')
      })
      valueOutcomes = report.outcomes
      warnSkippedSelf(runner, valueOutcomes)
      runner.info(
        `${report.writes} write and ${report.reads} read request(s)${report.learnedCap ? `, bulk size ${report.learnedCap}` : ''}` +
          (report.leftPositions.length > 0
            ? `; value(s) #${report.leftPositions.join(', #')} left for a second run (the write budget or deadline ran out)`
            : '')
      )
      if (report.stoppedBy) runner.error(logText(report.stoppedBy), { title: 'Not the Fastly API' })
    } catch (error) {
      // The run could not start: the endpoint is not the API, or the API token was refused.
      const reason = describeFailure(error)
      runner.error(logText(reason), { title: 'Leaked values not revoked' })
      valueOutcomes = config.revokeValues.map((_, index) => ({ index, outcome: 'failed', reason }))
    } finally {
      runner.endGroup()
    }
    const rows: string[][] = []
    for (const v of valueOutcomes) {
      const label = `value #${v.index + 1}`
      const who = v.tokenId ? ` (token ${logText(v.tokenId)}${v.name ? `, "${logText(v.name)}"` : ''})` : ''
      runner.info(`${label}${who}: ${v.outcome}${v.reason ? ` — ${logText(v.reason)}` : ''}`)
      rows.push([label, v.tokenId ?? '', v.name ?? '', v.outcome, v.reason ?? ''])
      if (v.outcome === 'revoked' && v.tokenId) revokedIds.push(v.tokenId)
      if (!VALUE_NOT_FAILED.has(v.outcome)) {
        failedCount += 1
        if (v.tokenId) failedIds.push(v.tokenId)
      }
    }
    runner.setOutput(
      'value-outcomes',
      JSON.stringify(
        valueOutcomes.map(v => ({
          index: v.index + 1,
          'token-id': v.tokenId ?? null,
          outcome: v.outcome,
          reason: v.reason ?? null
        }))
      )
    )
    const done = valueOutcomes.filter(v => VALUE_DONE.has(v.outcome)).length
    const planned = valueOutcomes.filter(v => v.outcome === 'would-revoke').length
    summary.push(
      summarySection(
        config.dryRun
          ? `Leaked values (dry run): ${planned} would be revoked, ${done} already gone, ${valueOutcomes.length - done - planned} neither`
          : `Leaked values: ${done} revoked or already gone, ${valueOutcomes.length - done} not`,
        markdownTable(['Value', 'Token id', 'Name', 'Outcome', 'Reason'], rows)
      )
    )
  }

  runner.setOutput('revoked-ids', JSON.stringify(revokedIds))
  runner.setOutput('failed-ids', JSON.stringify(failedIds))
  if (summary.length > 0) await runner.appendSummary(summary.join(''))
  if (failedCount === 0) return undefined
  return `${failedCount} of ${outcomes.length + config.revokeValues.length} token(s) could not be revoked (see the failed-ids output and the job summary); every other one was tried`
}

/** The one warning when api-token was on the list and kept (revoke-include-self is false). */
export function warnSkippedSelf(
  runner: Pick<StepDeps['runner'], 'warning'>,
  outcomes: readonly { outcome: string; id?: string; tokenId?: string }[]
): void {
  const skipped = outcomes.find(o => o.outcome === 'skipped-self')
  if (!skipped) return
  runner.warning(
    `${logText(skipped.id ?? skipped.tokenId ?? 'one entry')} is api-token itself and was not revoked; ` +
      'set revoke-include-self: true to revoke it too (it goes last)',
    { title: 'Token kept' }
  )
}
