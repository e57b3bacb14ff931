/**
 * Token id lists as responders paste them: from a ticket, a log excerpt, a file with one id per
 * line or a comma-separated workflow input. Real ids are 21-22 base62 characters (a 128-bit value
 * in base62 never needs more than 22); the accepted range is a little wider (16-24) so that an
 * unusual but plausible id is still sent to the API, while anything else (a URL, a stray quote, a
 * 32-character token value pasted by mistake, with or without `-`/`_`) is refused before it could
 * reach a request path or a bulk body.
 */

export const TOKEN_ID_PATTERN = /^[A-Za-z0-9]{16,24}$/

export function isWellFormedTokenId(value: string): boolean {
  return TOKEN_ID_PATTERN.test(value)
}

export interface TokenIdList {
  /** Well-formed ids, first occurrence kept, input order. */
  ids: string[]
  /** Everything else that was not blank, deduplicated, input order. */
  malformed: string[]
}

/** Splits on commas, newlines and any whitespace; drops blanks and repeats. */
export function parseTokenIdList(text: string): TokenIdList {
  const ids: string[] = []
  const malformed: string[] = []
  const seen = new Set<string>()
  for (const part of text.split(/[\s,]+/)) {
    const item = part.trim()
    if (item === '' || seen.has(item)) continue
    seen.add(item)
    ;(isWellFormedTokenId(item) ? ids : malformed).push(item)
  }
  return { ids, malformed }
}

/** Distinct entries of an id array, first occurrence kept (the engine's input need not be parsed text). */
export function distinctIds(ids: readonly string[]): string[] {
  return [...new Set(ids.map(id => id.trim()).filter(id => id !== ''))]
}
