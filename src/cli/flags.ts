/**
 * Flag values through the shared parsers (src/input): the rule is the action's too, the words
 * around it are the CLI's (`--scope: ...`, exit 2 before any request). A flag's value is never
 * echoed in an error: a secret pasted after the wrong flag (`--max-time <token>`) would land in the
 * terminal's scrollback and a CI log. The parsers quote what they were given, for the action,
 * whose log masks secrets; the CLI takes those quotes out (withoutEcho).
 */
import { parseCustomerId, type Parsed } from '../input/index.js'
import { mayHoldTokenValue } from '../revoke/index.js'
import type { CommandContext } from './context.js'
import { UsageError } from './exit-codes.js'

/** Pieces shorter than this are no secret and may be words of the message ("1 to 36500"). */
const SHORTEST_ECHO = 3

/** A parser's problem without the text it was given: quoted parts and any piece of it. */
export function withoutEcho(problem: string, given: string): string {
  let text = problem.replace(/,? got "[^"]*"/g, '').replace(/"[^"]*"/g, 'the value given')
  const pieces = given
    .split(/[\s,]+/)
    .filter(piece => piece.length >= SHORTEST_ECHO)
    .sort((a, b) => b.length - a.length)
  for (const piece of pieces) text = text.split(piece).join('…')
  return text
}

export function flagValue<T>(flag: string, given: string, parse: (text: string) => Parsed<T>): T {
  const result = parse(given)
  if (result.ok) return result.value
  if (mayHoldTokenValue(given)) {
    throw new UsageError(`${flag}: not a valid value, and it looks like a token value (not printed)`)
  }
  throw new UsageError(`${flag}: ${withoutEcho(result.problem, given)} (the value is not printed)`)
}

/** `--customer-id`, else FASTLY_CUSTOMER_ID; undefined when neither is set (or set empty). */
export function customerIdFlag(ctx: CommandContext, values: Record<string, unknown>): string | undefined {
  const text = (values['customer-id'] as string | undefined) ?? ctx.io.env.FASTLY_CUSTOMER_ID
  if (text === undefined || text === '') return undefined
  // Letters and digits like an id, but as long as a token: never put it in a request path.
  if (mayHoldTokenValue(text)) {
    throw new UsageError('--customer-id: this looks like a token value, not a customer id (not printed)')
  }
  return flagValue('--customer-id', text, parseCustomerId)
}
