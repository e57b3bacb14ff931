import { parseDateOrAge, parseDayCount, parseScope } from '../../input/index.js'
import { auditTokens, revokeMany, type AuditFilter } from '../../revoke/index.js'
import type { Token } from '../../types.js'
import type { Command, CommandContext } from '../context.js'
import { EXIT, UsageError } from '../exit-codes.js'
import { customerIdFlag, flagValue } from '../flags.js'
import { watchInterrupts } from '../interrupt.js'
import { ENGINE_HELP, ENGINE_OPTIONS, engineOptions, jsonRun, printRevokeReport } from '../revoke-report.js'
import { auditJson } from '../json-report.js'
import { logText } from '../../text/log-text.js'
import { formatTokenTable } from '../token-table.js'

const HELP = `Usage: fastly-tokens audit [filters] [--revoke-matching [--dry-run]]

Lists the tokens of FASTLY_API_TOKEN's user (or, with --customer-id or
FASTLY_CUSTOMER_ID, of the whole customer: superusers) and shows those that
pass every filter given (no filter: all of them). With a customer, its
automation tokens (not tied to a person) are audited too: the TYPE column says
user or automation, and revoking one works like any other.

Filters:
  --name GLOB             name matches the glob (* any run, ? one character), e.g. "ci-*"
  --scope SCOPE           holds this scope (space-separate several: must hold all)
  --created-before DATE   created before this date or time (2024-01-31, or ISO 8601),
                          or more than an age ago (30d, 12h)
  --expired               has expired; --not-expired: has not (or never expires)
  --never-expires         has no expiry; --has-expiry: has one
  --unused-days N         not used for N days (a never-used token counts from creation)

Acting on the matches:
  --include-sessions      with --revoke-matching: revoke matching browser-session
                          tokens (manage.fastly.com) too; kept by default
  --revoke-matching       revoke them through the bulk engine (needs a filter; the
                          token making the requests is kept unless
                          --include-self)
${ENGINE_HELP}

Global: --json (the versioned report of docs/cli.md, mode "audit": each match with
its outcome, plus scanned and the full token records), --progress, --api-url URL.`

function filterFrom(values: Record<string, unknown>, now: number): AuditFilter {
  const filter: AuditFilter = {}
  const name = values.name as string | undefined
  if (name !== undefined) {
    if (name === '') throw new UsageError('--name: give a glob such as "ci-*"')
    filter.nameGlob = name
  }
  const scope = values.scope as string | undefined
  if (scope !== undefined) filter.scope = flagValue('--scope', scope, parseScope)
  const before = values['created-before'] as string | undefined
  if (before !== undefined)
    filter.createdBefore = flagValue('--created-before', before, text => parseDateOrAge(text, now))
  if (values.expired === true && values['not-expired'] === true)
    throw new UsageError('--expired and --not-expired exclude each other')
  if (values.expired === true) filter.expired = true
  if (values['not-expired'] === true) filter.expired = false
  if (values['never-expires'] === true && values['has-expiry'] === true) {
    throw new UsageError('--never-expires and --has-expiry exclude each other')
  }
  if (values['never-expires'] === true) filter.neverExpires = true
  if (values['has-expiry'] === true) filter.neverExpires = false
  const unused = values['unused-days'] as string | undefined
  if (unused !== undefined) filter.unusedForDays = flagValue('--unused-days', unused, parseDayCount)
  return filter
}

function printMatches(ctx: CommandContext, matches: Token[], scanned: number): void {
  if (matches.length > 0) ctx.print(formatTokenTable(matches))
  ctx.print(`${matches.length} of ${scanned} token${scanned === 1 ? '' : 's'} match`)
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'find stale, everlasting or over-privileged tokens; optionally revoke them',
  help: HELP,
  options: {
    name: { type: 'string' },
    scope: { type: 'string' },
    'created-before': { type: 'string' },
    expired: { type: 'boolean' },
    'not-expired': { type: 'boolean' },
    'never-expires': { type: 'boolean' },
    'has-expiry': { type: 'boolean' },
    'unused-days': { type: 'string' },
    'customer-id': { type: 'string' },
    'revoke-matching': { type: 'boolean' },
    'include-sessions': { type: 'boolean' },
    ...ENGINE_OPTIONS
  },
  async run(ctx: CommandContext, values: Record<string, unknown>): Promise<number> {
    const filter = filterFrom(values, ctx.now())
    const customerId = customerIdFlag(ctx, values)
    const revoke = values['revoke-matching'] === true
    if (revoke && Object.keys(filter).length === 0) {
      throw new UsageError(
        '--revoke-matching needs at least one filter: without one it would revoke every token'
      )
    }
    const engineOnly = [...Object.keys(ENGINE_OPTIONS), 'include-sessions'].filter(
      name => values[name] !== undefined
    )
    if (!revoke && engineOnly.length > 0) {
      // Silently ignoring them would let a responder believe, say, --max-time bounded something.
      throw new UsageError(
        `${engineOnly.map(name => `--${name}`).join(', ')} go${engineOnly.length === 1 ? 'es' : ''} with --revoke-matching`
      )
    }
    const options = engineOptions(ctx, values, customerId)
    const client = ctx.client({ needsToken: true })
    // --max-time bounds the list read too, not only the writes: every path ends.
    const result = await auditTokens(client, filter, {
      ...(customerId === undefined ? {} : { customerId }),
      // Browser sessions are shown, but revoking them logs a person out: only when asked.
      includeSessions: !revoke || values['include-sessions'] === true,
      ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
      now: ctx.now()
    })
    if (result.automationSkipped)
      ctx.note(`note: automation tokens not audited: ${logText(result.automationSkipped)}`)
    if (result.sessionsKept) {
      ctx.note(
        `note: ${result.sessionsKept} browser-session token(s) (manage.fastly.com) matched and are kept; ` +
          '--include-sessions revokes them too (it logs those people out of the web UI)'
      )
    }
    if (!revoke) {
      if (ctx.flags.json) ctx.printJson(auditJson(result))
      else printMatches(ctx, result.matches, result.scanned)
      return EXIT.ok
    }

    // The token doing the audit stays unless --include-self: the engine reports it skipped-self.
    const ids = result.matches.map(t => t.id)
    if (!ctx.flags.json) printMatches(ctx, result.matches, result.scanned)
    if (ids.length === 0) {
      if (ctx.flags.json) ctx.printJson(auditJson(result))
      return EXIT.ok
    }
    const interrupt = watchInterrupts(ctx)
    options.signal = interrupt.signal
    options.onNote = note => ctx.note(`note: ${note}`)
    const progress = ctx.progress(options.dryRun ? 'planning' : 'revoking')
    if (progress) options.onProgress = p => progress.update(p)
    try {
      const report = await revokeMany(client, ids, options)
      progress?.done()
      const code = await printRevokeReport(ctx, report, values, r =>
        auditJson(result, { report: r, ...jsonRun(values) })
      )
      return interrupt.exitCode(code)
    } finally {
      progress?.done()
      interrupt.stop()
    }
  }
}
