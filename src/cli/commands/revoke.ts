import {
  describeCost,
  proveEndpoint,
  revokeLeakedValues,
  revokeMany,
  type LeakedValueOutcome,
  type LeakedValuesReport
} from '../../revoke/index.js'
import { logText } from '../../text/log-text.js'
import type { Command, CommandContext } from '../context.js'
import { combineExitCodes, EXIT, exitCodeForOutcome, UsageError } from '../exit-codes.js'
import { watchInterrupts } from '../interrupt.js'
import { capHintIn } from '../left-file.js'
import { runRevokeValues } from './revoke-values.js'
import { readSecretStdin } from '../io.js'
import { customerIdFlag } from '../flags.js'
import { readIds } from '../id-input.js'
import { valuesJson } from '../json-report.js'
import {
  ENGINE_HELP,
  ENGINE_OPTIONS,
  engineOptions,
  outcomeCell,
  printRevokeReport,
  warnSkippedSelf
} from '../revoke-report.js'
import { formatTable } from '../table.js'

const HELP = `Usage: fastly-tokens revoke (--id ID... | --ids-file FILE | --value VALUE | --current) [options]

By id (FASTLY_API_TOKEN authenticates; a superuser may revoke other users' tokens):
  --id ID                 a token id; repeat it, or separate ids with commas
  --ids-file FILE         ids separated by newlines, commas or spaces (# starts a
                          comment), or JSON: an array of ids or of {"id": ...}
                          objects, or this CLI's own --json output; several JSON
                          documents in a row are one list. "-" reads stdin; repeat
                          the flag for several files. At most 8 MiB each
  --customer-id ID        plan and verify with the customer's token list (superusers)
${ENGINE_HELP}

By leaked value: each value is read with itself (GET /tokens/self, free). With
FASTLY_API_TOKEN (scope global) the tokens found are then revoked in bulk like ids
(300 values: a write or two); without it each value revokes itself with
DELETE /tokens/self, one write from its owner's hourly budget:
  --value VALUE           a leaked token value; "-" reads values from stdin, one per
                          line. Prefer "-": an argument lands in the shell history
                          and the process list. Values are never printed. Pasted
                          quotes, KEY=, "Bearer ", trailing , or ; are stripped; an
                          entry that is still no 32-character token is "malformed"
  --positions FILE        only these positions of the values (a --left-file of a
                          values run: positions, never values)

The token in FASTLY_API_TOKEN itself:
  --current               revoke it (DELETE /tokens/self)

Global: --json, --progress, --api-url URL. Exit 0 when every id or value is
revoked or already gone, 1 when some are unknown to the API or not ours, 2 on bad
input, 3 when the API refused the caller or could not be reached, 5 when a rerun
is needed (left or transiently failed); see fastly-tokens --help.`

function printValueOutcomes(
  ctx: CommandContext,
  outcomes: LeakedValueOutcome[],
  report?: LeakedValuesReport
): number {
  if (ctx.flags.json) ctx.printJson(valuesJson(outcomes, { dryRun: report?.dryRun === true }, report))
  else {
    ctx.print(
      formatTable(
        ['VALUE', 'TOKEN ID', 'NAME', 'OUTCOME', 'DETAIL'],
        outcomes.map(o => [
          `#${o.index + 1}`,
          logText(o.tokenId ?? ''),
          logText(o.name ?? ''),
          outcomeCell(o),
          o.reason ?? ''
        ])
      )
    )
  }
  warnSkippedSelf(ctx, outcomes)
  return combineExitCodes(outcomes.map(o => exitCodeForOutcome(o)))
}

const VALUE_PROMPT = {
  ask: 'Leaked token value(s), one per line, not shown; an empty line ends: ',
  multiple: true
}

export const revokeCommand: Command = {
  name: 'revoke',
  summary: 'revoke tokens by id (in bulk), by leaked value, or the current one',
  help: HELP,
  options: {
    id: { type: 'string', multiple: true },
    'ids-file': { type: 'string', multiple: true },
    value: { type: 'string', multiple: true },
    current: { type: 'boolean' },
    positions: { type: 'string' },
    'customer-id': { type: 'string' },
    ...ENGINE_OPTIONS
  },
  async run(ctx: CommandContext, values: Record<string, unknown>): Promise<number> {
    const ids = values.id as string[] | undefined
    const idsFiles = values['ids-file'] as string[] | undefined
    const valueArgs = values.value as string[] | undefined
    const current = values.current === true
    const modes = [ids !== undefined || idsFiles !== undefined, valueArgs !== undefined, current].filter(
      Boolean
    )
    if (modes.length !== 1) throw new UsageError('give exactly one of --id/--ids-file, --value or --current')

    if (valueArgs !== undefined) {
      let leaked: string[] = []
      for (const v of valueArgs) {
        // A loop, not push(...lines): spreading 100k lines as arguments overflows the stack.
        if (v === '-')
          for (const line of (await readSecretStdin(ctx.io, '--value -', VALUE_PROMPT)).split(/\r?\n/))
            leaked.push(line)
        else leaked.push(v)
      }
      leaked = leaked.map(v => v.trim()).filter(Boolean)
      if (leaked.length === 0)
        throw new UsageError('--value: no values given (one per line on stdin with --value -)')
      if (valueArgs.some(v => v !== '-')) {
        ctx.note(
          'note: a value given as an argument lands in the shell history; --value - reads stdin instead'
        )
      }
      return runRevokeValues(ctx, values, leaked, printValueOutcomes)
    }
    if (values.positions !== undefined) throw new UsageError('--positions goes with --value')

    if (current) {
      const client = ctx.client({ needsToken: true, why: '--current revokes that token' })
      if (values['dry-run'] === true) {
        const self = await client.getTokenCurrent()
        ctx.note(`dry run: would revoke ${logText(self.id)} "${logText(self.name)}"; nothing sent`)
        return EXIT.ok
      }
      return printValueOutcomes(ctx, await revokeLeakedValues(client, [ctx.io.env.FASTLY_API_TOKEN!.trim()]))
    }

    const customerId = customerIdFlag(ctx, values)
    let capHint: number | undefined
    const list = await readIds(ctx, ids, idsFiles, text => (capHint ??= capHintIn(text)))
    const options = engineOptions(ctx, values, customerId)
    // A left-file keeps the bulk size the server accepted: the resume starts there.
    if (options.initialChunkSize === undefined && capHint !== undefined) options.initialChunkSize = capHint
    const cost = describeCost(list.length, options.initialChunkSize ?? 1000)
    if (cost !== undefined) ctx.note(`note: ${cost}`)
    const client = ctx.client({ needsToken: true, why: 'revoking by id' })
    // The caller and the endpoint first: a refused token, an endpoint that is not the API (HTML,
    // a non-JSON 404, a redirect) or no answer ends the run here with one line and EXIT.api.
    await proveEndpoint(client, {}, true)
    const interrupt = watchInterrupts(ctx)
    options.signal = interrupt.signal
    options.onNote = note => ctx.note(`note: ${note}`)
    const progress = ctx.progress(options.dryRun ? 'planning' : 'revoking')
    if (progress) options.onProgress = p => progress.update(p)
    try {
      const report = await revokeMany(client, list, options)
      progress?.done()
      const code = await printRevokeReport(ctx, report, values)
      return interrupt.exitCode(code)
    } finally {
      progress?.done()
      interrupt.stop()
    }
  }
}
