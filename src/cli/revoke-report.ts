import { parseDuration } from '../input/index.js'
import {
  countOutcomes,
  mayHoldTokenValue,
  type RevokeManyOptions,
  type RevokeReport
} from '../revoke/index.js'
import type { CommandContext } from './context.js'
import { combineExitCodes, exitCodeForOutcome, UsageError } from './exit-codes.js'
import { flagValue } from './flags.js'
import { writeLeftFile } from './left-file.js'
import { idsJson } from './json-report.js'
import { formatTable } from './table.js'

/** Flags shared by `revoke` and `audit --revoke-matching`. */
export const ENGINE_OPTIONS = {
  'dry-run': { type: 'boolean' },
  'no-verify': { type: 'boolean' },
  'chunk-size': { type: 'string' },
  'max-time': { type: 'string' },
  'left-file': { type: 'string' },
  'include-self': { type: 'boolean' }
} as const

export const ENGINE_HELP = `  --dry-run               plan with reads only: say what would be revoked, spend no write
  --no-verify             skip the list read that confirms each revoked id is gone
  --chunk-size N          first bulk size (default 1000; the server's cap is learned)
  --max-time DURATION     stop waiting and writing after this long (e.g. 10m); ids not
                          sent by then are reported "left". Default: wait for the
                          rate-limit window to reset as often as needed
  --left-file PATH        write what is left there for a second run: ids one per
                          line (give it to --ids-file), or for values their
                          positions (give it to --positions). It keeps the bulk
                          size learned, and a resume starts at it. Ctrl-C writes
                          it too, and the report, and exits 5
  --include-self          revoke the token in FASTLY_API_TOKEN too when it is on the
                          list (last, after every read that needs it). Without it,
                          that token is reported "skipped-self" and kept`

export function engineOptions(
  ctx: CommandContext,
  values: Record<string, unknown>,
  customerId: string | undefined
): RevokeManyOptions {
  const options: RevokeManyOptions = {}
  if (customerId !== undefined) options.customerId = customerId
  if (values['dry-run'] === true) options.dryRun = true
  if (values['no-verify'] === true) options.verify = false
  if (values['include-self'] === true) options.includeSelf = true
  const chunk = values['chunk-size'] as string | undefined
  if (chunk !== undefined) {
    if (!/^\d+$/.test(chunk) || Number(chunk) < 1 || Number(chunk) > 10_000) {
      throw new UsageError('--chunk-size: expected a whole number from 1 to 10000 (the value is not printed)')
    }
    options.initialChunkSize = Number(chunk)
  }
  const maxTime = values['max-time'] as string | undefined
  if (maxTime !== undefined) options.deadline = ctx.now() + flagValue('--max-time', maxTime, parseDuration)
  if (ctx.io.now) options.now = ctx.io.now
  if (ctx.io.sleep) options.sleep = ctx.io.sleep
  return options
}

/** An outcome as a table cell: a revocation says whether the list confirmed it. */
export function outcomeCell(o: { outcome: string; verified?: boolean }): string {
  if (o.outcome !== 'revoked') return o.outcome
  return o.verified ? 'revoked (verified)' : 'revoked (not verified)'
}

/** Every outcome for short runs; for long ones only the ids that need a look, to keep a terminal usable. */
const LIST_ALL_UP_TO = 100

export async function printRevokeReport(
  ctx: CommandContext,
  report: RevokeReport,
  values: Record<string, unknown>,
  /** The report as --json prints it (audit adds its matches: see json-report.ts). */
  jsonShape: (report: RevokeReport) => unknown = r => idsJson(r, jsonRun(values))
): Promise<number> {
  const leftFile = values['left-file'] as string | undefined
  if (leftFile !== undefined && report.leftIds.length > 0) {
    await writeLeftFile(leftFile, { ids: report.leftIds }, report.learnedCap)
  }
  if (ctx.flags.json) {
    ctx.printJson(jsonShape(report))
  } else {
    const shown =
      report.outcomes.length <= LIST_ALL_UP_TO
        ? report.outcomes
        : report.outcomes.filter(o => o.outcome !== 'revoked' || o.verified !== true)
    if (shown.length > 0) {
      ctx.print(
        formatTable(
          ['ID', 'OUTCOME', 'DETAIL'],
          shown.map(o => [o.id, outcomeCell(o), o.reason ?? ''])
        )
      )
    }
    if (shown.length < report.outcomes.length) {
      ctx.print(
        `(${report.outcomes.length - shown.length} verified revocations not listed; --json lists every id)`
      )
    }
    const c = countOutcomes(report.outcomes)
    const verified = report.outcomes.filter(o => o.verified).length
    const parts = [
      `${c.revoked} revoked (${verified} verified)`,
      ...(c['would-revoke'] ? [`${c['would-revoke']} would be revoked`] : []),
      `${c['not-found']} not found`,
      `${c.forbidden} forbidden`,
      `${c.failed} failed`,
      ...(c.malformed ? [`${c.malformed} malformed`] : []),
      ...(c['skipped-self'] ? [`${c['skipped-self']} skipped (the token making the requests)`] : []),
      `${c.left} left`
    ]
    ctx.print(
      `${parts.join(', ')}; ${report.writes} write and ${report.reads} read requests` +
        (report.learnedCap ? `, bulk size ${report.learnedCap}` : '')
    )
    if (report.leftIds.length > 0) {
      ctx.note(
        `${report.leftIds.length} id(s) were not sent before the write budget or --max-time ran out; run again ` +
          (leftFile === undefined
            ? 'with the left ids (--left-file keeps them)'
            : mayHoldTokenValue(leftFile)
              ? 'with --ids-file and the --left-file path (not printed: it looks like a token value)'
              : `with --ids-file ${leftFile}`) +
          ' after the rate-limit window resets.'
      )
    }
  }
  warnSkippedSelf(ctx, report.outcomes)
  return revokeExitCode(report)
}

/**
 * The one warning for the token making the requests when it was on the list and kept: on stderr
 * even with --json, since a script's reader must not miss that a listed token is still live.
 */
export function warnSkippedSelf(
  ctx: CommandContext,
  outcomes: readonly { outcome: string; id?: string; tokenId?: string }[]
): void {
  const skipped = outcomes.find(o => o.outcome === 'skipped-self')
  if (!skipped) return
  ctx.note(
    `warning: ${skipped.id ?? skipped.tokenId ?? 'one entry'} is the token making the requests (FASTLY_API_TOKEN) ` +
      'and was not revoked; add --include-self to revoke it too (it goes last)'
  )
}

/** The exit code of an engine report: the most severe its outcomes ask for (see exit-codes.ts). */
export function revokeExitCode(report: RevokeReport): number {
  return combineExitCodes(report.outcomes.map(o => exitCodeForOutcome(o)))
}

/** What the JSON report needs to know of the flags: whether anything was written. */
export function jsonRun(values: Record<string, unknown>): { dryRun: boolean } {
  return { dryRun: values['dry-run'] === true }
}
