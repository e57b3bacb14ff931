/**
 * `revoke --value`: leaked values through the module's values engine. With FASTLY_API_TOKEN (an
 * admin token) each value is resolved with a free read and the ids are revoked in bulk; without
 * one each value revokes itself. Values get what ids get: the progress line, --max-time,
 * --left-file (positions, never values), Ctrl-C, and the same exit codes.
 */
import { readFile } from 'node:fs/promises'
import { revokeValues, type LeakedValueOutcome, type LeakedValuesReport } from '../../revoke/index.js'
import type { CommandContext } from '../context.js'
import { combineExitCodes, EXIT, exitCodeForOutcome, UsageError, type ExitCode } from '../exit-codes.js'
import { customerIdFlag } from '../flags.js'
import { watchInterrupts } from '../interrupt.js'
import { positionsIn, writeLeftFile } from '../left-file.js'
import { engineOptions } from '../revoke-report.js'

/** `--positions FILE`: only these 1-based positions of the input (a values left-file). */
async function selectPositions(
  leaked: readonly string[],
  file: string | undefined
): Promise<{ values: string[]; positions?: number[] }> {
  if (file === undefined) return { values: [...leaked] }
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    // The path is not echoed: a path argument is where a pasted secret lands.
    throw new UsageError(
      `--positions: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`
    )
  }
  const positions = positionsIn(text)
  if (!Array.isArray(positions)) throw new UsageError(`--positions: ${positions.problem}`)
  const beyond = positions.filter(p => p > leaked.length)
  if (beyond.length > 0) {
    throw new UsageError(
      `--positions: position ${beyond[0]} is past the ${leaked.length} value(s) given; give the same values as the first run`
    )
  }
  const unique = [...new Set(positions)]
  return { values: unique.map(p => leaked[p - 1]!), positions: unique }
}

/** Outcomes and left positions back in the numbering of the whole input. */
function renumber(report: LeakedValuesReport, positions: number[] | undefined): LeakedValuesReport {
  if (!positions) return report
  return {
    ...report,
    outcomes: report.outcomes.map(o => ({ ...o, index: positions[o.index]! - 1 })),
    leftPositions: report.leftPositions.map(p => positions[p - 1]!)
  }
}

export async function runRevokeValues(
  ctx: CommandContext,
  flags: Record<string, unknown>,
  leaked: readonly string[],
  print: (ctx: CommandContext, outcomes: LeakedValueOutcome[], report: LeakedValuesReport) => number
): Promise<number> {
  const { values, positions } = await selectPositions(leaked, flags.positions as string | undefined)
  const options = engineOptions(ctx, flags, customerIdFlag(ctx, flags))
  const base = ctx.client({ needsToken: false })
  const hasAdmin = (ctx.io.env.FASTLY_API_TOKEN ?? '').trim() !== ''
  const admin = hasAdmin ? ctx.client({ needsToken: true }) : undefined
  ctx.note(
    options.dryRun
      ? `dry run: ${values.length} value(s) each read with itself (free); no write is sent`
      : admin
        ? `${values.length} value(s): each read with itself (free), then the tokens revoked in bulk with FASTLY_API_TOKEN`
        : `${values.length} value(s): each revokes itself (no FASTLY_API_TOKEN: one write per value, from its owner's budget)`
  )
  const interrupt = watchInterrupts(ctx)
  const progress = ctx.progress(options.dryRun ? 'planning values' : 'revoking values')
  let report: LeakedValuesReport
  try {
    report = await revokeValues(base, values, {
      ...options,
      ...(admin ? { admin } : {}),
      signal: interrupt.signal,
      onNote: note => ctx.note(`note: ${note}`),
      ...(progress ? { onProgress: p => progress.update(p) } : {})
    })
  } finally {
    progress?.done()
    interrupt.stop()
  }
  report = renumber(report, positions)

  const leftFile = flags['left-file'] as string | undefined
  if (leftFile !== undefined && report.leftPositions.length > 0) {
    await writeLeftFile(leftFile, { positions: report.leftPositions }, report.learnedCap)
  }
  const codes: ExitCode[] = [
    print(ctx, report.outcomes, report) as ExitCode,
    ...report.outcomes.map(o => exitCodeForOutcome(o))
  ]
  if (!ctx.flags.json) {
    ctx.print(
      `${report.writes} write and ${report.reads} read requests` +
        (report.learnedCap ? `, bulk size ${report.learnedCap}` : '')
    )
  }
  if (report.leftPositions.length > 0) {
    ctx.note(
      `${report.leftPositions.length} value(s) were not sent (write budget, --max-time or an interruption); ` +
        (leftFile
          ? `run again with the same values and --positions ${leftFile}`
          : 'run again (--left-file keeps their positions, never the values)')
    )
  }
  if (report.stoppedBy) {
    ctx.note(`error: ${report.stoppedBy}`)
    codes.push(EXIT.api)
  }
  return interrupt.exitCode(combineExitCodes(codes))
}
