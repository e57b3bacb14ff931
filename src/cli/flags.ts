/**
 * Flag values through the shared parsers (src/input): the rule is the action's too, the words
 * around it are the CLI's (`--scope: ...`, exit 2 before any request).
 */
import { parseCustomerId, type Parsed } from '../input/index.js'
import type { CommandContext } from './context.js'
import { UsageError } from './exit-codes.js'

export function flagValue<T>(flag: string, result: Parsed<T>): T {
  if (result.ok) return result.value
  throw new UsageError(`${flag}: ${result.problem}`)
}

/** `--customer-id`, else FASTLY_CUSTOMER_ID; undefined when neither is set (or set empty). */
export function customerIdFlag(ctx: CommandContext, values: Record<string, unknown>): string | undefined {
  const text = (values['customer-id'] as string | undefined) ?? ctx.io.env.FASTLY_CUSTOMER_ID
  if (text === undefined || text === '') return undefined
  return flagValue('--customer-id', parseCustomerId(text))
}
