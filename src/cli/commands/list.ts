import type { Command, CommandContext } from '../context.js'
import { EXIT, UsageError } from '../exit-codes.js'
import { formatTable } from '../table.js'

const HELP = `Usage: fastly-tokens list [--customer-id ID]

Lists the tokens of the user that FASTLY_API_TOKEN belongs to (GET /tokens), or
with --customer-id (or FASTLY_CUSTOMER_ID) every token of that customer
(superusers only). Reads are not rate-limited.

Global: --json (the tokens as the API returns them, an array), --api-url URL.`

export function checkCustomerId(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined
  if (!/^[A-Za-z0-9]{1,64}$/.test(value))
    throw new UsageError(`--customer-id: "${value}" is not a customer id`)
  return value
}

export const listCommand: Command = {
  name: 'list',
  summary: "list the user's (or a customer's) tokens",
  help: HELP,
  options: { 'customer-id': { type: 'string' } },
  async run(ctx: CommandContext, values: Record<string, unknown>): Promise<number> {
    const customerId = checkCustomerId(
      (values['customer-id'] as string | undefined) ?? ctx.io.env.FASTLY_CUSTOMER_ID
    )
    const client = ctx.client({ needsToken: true })
    const tokens =
      customerId === undefined ? await client.listTokensUser() : await client.listTokensCustomer(customerId)
    if (ctx.flags.json) {
      ctx.printJson(tokens)
      return EXIT.ok
    }
    ctx.print(
      formatTable(
        ['ID', 'SCOPE', 'CREATED', 'LAST USED', 'EXPIRES', 'NAME'],
        tokens.map(t => [
          t.id,
          t.scope,
          t.created_at,
          t.last_used_at ?? 'never',
          t.expires_at ?? 'never',
          t.name
        ])
      )
    )
    ctx.note(`${tokens.length} token${tokens.length === 1 ? '' : 's'}`)
    return EXIT.ok
  }
}
