/**
 * `mode: audit`: list the tokens api-token can see (its user's, or with customer-id the customer's),
 * filter them through the engine's auditTokens, report a table and JSON, and with revoke-matching
 * revoke the matches through revokeMany (dry-run: plan only). The caller's own token is kept
 * (skipped-self, with a warning) unless revoke-include-self: revoking it cuts the branch the step
 * sits on.
 */
import type { FastlyTokensClient } from '../client/index.js'
import { auditTokens, revokeMany, type RevokeOutcome } from '../revoke/index.js'
import { warnSkippedSelf } from './incident.js'
import type { Token } from '../types.js'
import { describeFailure } from './failure.js'
import type { ActionConfig } from './inputs.js'
import { MAIN_DEADLINE_MS, type StepDeps } from './step-deps.js'
import { logText } from '../text/log-text.js'
import { markdownTable, summarySection } from './summary.js'

/** The public fields of a token, for the audit-json output (tokens listed never carry a secret). */
function auditRecord(token: Token) {
  return {
    id: token.id,
    name: token.name,
    user_id: token.user_id,
    scope: token.scope,
    services: token.services,
    created_at: token.created_at,
    last_used_at: token.last_used_at ?? null,
    expires_at: token.expires_at
  }
}

export async function runAudit(
  deps: StepDeps,
  config: ActionConfig,
  client: FastlyTokensClient
): Promise<void> {
  const { runner } = deps
  const audit = config.audit
  if (!audit) return
  const where = config.customerId ? `customer ${config.customerId}` : "api-token's user"
  const result = await auditTokens(client, audit.filter, {
    ...(config.customerId ? { customerId: config.customerId } : {}),
    // A browser session among the matches of revoke-matching is kept: revoking it logs a person out.
    includeSessions: !audit.revokeMatching,
    now: deps.now(),
    deadline: deps.now() + MAIN_DEADLINE_MS
  })
  const matches = result.matches
  runner.info(`Audit of the tokens of ${where}: ${matches.length} of ${result.scanned} match the filters`)
  for (const t of matches) {
    runner.info(
      `  ${[t.id, t.scope].map(logText).join('  ')}  created ${logText(t.created_at)}  expires ${logText(t.expires_at ?? 'never')}  last used ${logText(t.last_used_at ?? 'never')}  "${logText(t.name)}"`
    )
  }
  runner.setOutput('audit-json', JSON.stringify(matches.map(auditRecord)))
  runner.setOutput('audit-count', String(matches.length))
  const sections = [
    summarySection(
      `Token audit (${where}): ${matches.length} of ${result.scanned} match`,
      markdownTable(
        ['Token id', 'Name', 'Scope', 'Services', 'Created', 'Last used', 'Expires'],
        matches.map(t => [
          t.id,
          t.name,
          t.scope,
          t.services.length === 0 ? 'all' : t.services.join(' '),
          t.created_at,
          t.last_used_at ?? 'never',
          t.expires_at ?? 'never'
        ])
      )
    )
  ]

  let revokedIds: string[] = []
  let failedIds: string[] = []
  if (audit.revokeMatching && matches.length > 0) {
    // api-token itself stays unless revoke-include-self: the engine reports it skipped-self.
    const ids = matches.map(t => t.id)
    if (ids.length > 0) {
      runner.startGroup(
        `${config.dryRun ? 'Planning (dry run, no writes) the revocation of' : 'Revoking'} ${ids.length} matching token(s)`
      )
      try {
        const report = await revokeMany(client, ids, {
          ...(config.customerId ? { customerId: config.customerId } : {}),
          deadline: deps.now() + MAIN_DEADLINE_MS,
          dryRun: config.dryRun,
          includeSelf: config.includeSelf
        })
        warnSkippedSelf(runner, report.outcomes)
        for (const o of report.outcomes)
          runner.info(`${logText(o.id)}: ${o.outcome}${o.reason ? ` — ${o.reason}` : ''}`)
        runner.info(`${report.writes} write and ${report.reads} read request(s)`)
        const failed = (o: RevokeOutcome) =>
          o.outcome !== 'revoked' && o.outcome !== 'would-revoke' && o.outcome !== 'skipped-self'
        revokedIds = report.outcomes.filter(o => o.outcome === 'revoked').map(o => o.id)
        failedIds = report.outcomes.filter(failed).map(o => o.id)
        // Problems first: with the summary's row limit, those are the rows a responder must see.
        const rows = [...report.outcomes].sort((a, b) => Number(failed(b)) - Number(failed(a)))
        sections.push(
          summarySection(
            config.dryRun
              ? `Dry run: ${report.outcomes.filter(o => o.outcome === 'would-revoke').length} would be revoked, no write spent`
              : `Revoked ${revokedIds.length} matching token(s), ${failedIds.length} not revoked`,
            markdownTable(
              ['Token id', 'Outcome', 'Reason'],
              rows.map(o => [o.id, o.outcome, o.reason ?? ''])
            )
          )
        )
      } catch (error) {
        failedIds = ids
        runner.error(`Revoking the matches failed: ${describeFailure(error)}`)
      } finally {
        runner.endGroup()
      }
    }
  }
  runner.setOutput('revoked-ids', JSON.stringify(revokedIds))
  runner.setOutput('failed-ids', JSON.stringify(failedIds))
  await runner.appendSummary(sections.join(''))
  if (failedIds.length > 0) {
    runner.setFailed(
      `${failedIds.length} matching token(s) could not be revoked (see the failed-ids output and the job summary)`
    )
  }
}
