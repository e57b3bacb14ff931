import type { Command, CommandContext } from '../context.js'
import { EXIT } from '../exit-codes.js'
import { parseDuration } from '../../input/index.js'
import { customerIdFlag, flagValue } from '../flags.js'
import { formatTokenTable } from '../token-table.js'

const HELP = `Usage: fastly-tokens list [--customer-id ID] [--max-time DURATION]

Lists the tokens of the user that FASTLY_API_TOKEN belongs to (GET /tokens), or
with --customer-id (or FASTLY_CUSTOMER_ID) every token of that customer
(superusers only). Reads are not rate-limited. --max-time DURATION (e.g. 30s) bounds
the read, retries included: a server that never answers ends the command.

Global: --json (the tokens as the API returns them, an array), --api-url URL.`

export const listCommand: Command = {
  name: 'list',
  summary: "list the user's (or a customer's) tokens",
  help: HELP,
  options: { 'customer-id': { type: 'string' }, 'max-time': { type: 'string' } },
  async run(ctx: CommandContext, values: Record<string, unknown>): Promise<number> {
    const customerId = customerIdFlag(ctx, values)
    const maxTime = values['max-time'] as string | undefined
    const call =
      maxTime === undefined ? {} : { deadline: ctx.now() + flagValue('--max-time', maxTime, parseDuration) }
    const client = ctx.client({ needsToken: true })
    const tokens =
      customerId === undefined
        ? await client.listTokensUser(call)
        : await client.listTokensCustomer(customerId, call)
    if (ctx.flags.json) {
      ctx.printJson(tokens)
      return EXIT.ok
    }
    ctx.print(formatTokenTable(tokens))
    ctx.note(`${tokens.length} token${tokens.length === 1 ? '' : 's'}`)
    return EXIT.ok
  }
}
