/**
 * What every parser here returns: the value, or a problem in words that name no input or flag, so
 * that the action says `input "expires-in": ...` and the CLI says `--expires-in: ...` about the same
 * rule. Parsers never throw, whatever the text.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string }

export function parsed<T>(value: T): Parsed<T> {
  return { ok: true, value }
}

export function problem<T>(text: string): Parsed<T> {
  return { ok: false, problem: text }
}
