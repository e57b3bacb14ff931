import { describeCost, revokeLeakedValues, revokeMany, type LeakedValueOutcome } from '../../revoke/index.js'
import type { Command, CommandContext } from '../context.js'
import { combineExitCodes, EXIT, exitCodeForOutcome, UsageError } from '../exit-codes.js'
import { readStdin } from '../io.js'
import { customerIdFlag } from '../flags.js'
import { readIds } from '../id-input.js'
import {
  ENGINE_HELP,
  ENGINE_OPTIONS,
  engineOptions,
  outcomeCell,
  printRevokeReport
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

By leaked value (no API token needed: each value revokes itself with
DELETE /tokens/self, after GET /tokens/self records which token it was):
  --value VALUE           a leaked token value; "-" reads values from stdin, one per
                          line. Prefer "-": an argument lands in the shell history
                          and the process list. Values are never printed.

The token in FASTLY_API_TOKEN itself:
  --current               revoke it (DELETE /tokens/self)

Global: --json, --progress, --api-url URL. Exit 0 when every id or value is
revoked or already gone, 1 when some are unknown to the API or not ours, 2 on bad
input, 3 when the API refused the caller or could not be reached, 5 when a rerun
is needed (left or transiently failed); see fastly-tokens --help.`

function printValueOutcomes(ctx: CommandContext, outcomes: LeakedValueOutcome[]): number {
  if (ctx.flags.json) ctx.printJson(outcomes)
  else {
    ctx.print(
      formatTable(
        ['VALUE', 'TOKEN ID', 'NAME', 'OUTCOME', 'DETAIL'],
        outcomes.map(o => [`#${o.index + 1}`, o.tokenId ?? '', o.name ?? '', outcomeCell(o), o.reason ?? ''])
      )
    )
  }
  return combineExitCodes(outcomes.map(o => exitCodeForOutcome(o)))
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
          for (const line of (await readStdin(ctx.io, '--value -')).split(/\r?\n/)) leaked.push(line)
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
      if (values['dry-run'] === true) {
        ctx.note(
          `dry run: ${leaked.length} value(s) would each be revoked with DELETE /tokens/self; nothing sent`
        )
        return EXIT.ok
      }
      const base = ctx.client({ needsToken: false })
      return printValueOutcomes(ctx, await revokeLeakedValues(base, leaked))
    }

    if (current) {
      const client = ctx.client({ needsToken: true, why: '--current revokes that token' })
      if (values['dry-run'] === true) {
        const self = await client.getTokenCurrent()
        ctx.note(`dry run: would revoke ${self.id} "${self.name}"; nothing sent`)
        return EXIT.ok
      }
      return printValueOutcomes(ctx, await revokeLeakedValues(client, [ctx.io.env.FASTLY_API_TOKEN!.trim()]))
    }

    const customerId = customerIdFlag(ctx, values)
    const list = await readIds(ctx, ids, idsFiles)
    const options = engineOptions(ctx, values, customerId)
    const cost = describeCost(list.length, options.initialChunkSize ?? 1000)
    if (cost !== undefined) ctx.note(`note: ${cost}`)
    const client = ctx.client({ needsToken: true, why: 'revoking by id' })
    // The caller and the endpoint first: a refused token or an endpoint that is not the API ends
    // the run here with one line and EXIT.api, instead of turning every id into "failed".
    await client.getTokenCurrent()
    const progress = ctx.progress(options.dryRun ? 'planning' : 'revoking')
    if (progress) options.onProgress = p => progress.update(p)
    try {
      const report = await revokeMany(client, list, options)
      progress?.done()
      return printRevokeReport(ctx, report, values)
    } finally {
      progress?.done()
    }
  }
}
