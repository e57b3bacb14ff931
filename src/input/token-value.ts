/**
 * Leaked token values as people paste them, and telling them from token ids.
 *
 * The shape of a Fastly access token: exactly 32 characters of the URL-safe base64 alphabet
 * (A-Z, a-z, 0-9, `-`, `_`). That is what every recorded token has (`QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7J`,
 * `X-srxc_zLpchro9ngNBVgyofN_jqQFJ2`: 24 random bytes in base64url) and what the simulator mints.
 * We take the strict side on purpose: the shape is what lets a 401/404 mean "this value is gone";
 * a value of another shape that the API does not know is reported `malformed`, never gone, because
 * the likeliest reason is that it is not the value that leaked but a mangled copy of it.
 *
 * Pasted wrappings around a value (quotes, backticks, a trailing comma or semicolon, `KEY=V`,
 * `export KEY=V`, `Fastly-Key: V`, `Bearer V`, blanks and CRs) are stripped: the token alphabet
 * holds none of the characters they add, so stripping them can never cut into a value.
 */

export const TOKEN_VALUE_LENGTH = 32
export const TOKEN_VALUE_PATTERN = /^[A-Za-z0-9_-]{32}$/

/** Exactly the shape of an access token (see above). */
export function hasTokenValueShape(text: string): boolean {
  return TOKEN_VALUE_PATTERN.test(text)
}

/**
 * Could this be a secret rather than a token id? Looser than the shape: about a third of real
 * access tokens hold no `-` or `_`, so length decides: anything longer than the longest plausible
 * id (24, see src/revoke/ids.ts) counts, with slack for mangled copies.
 */
export function looksLikeTokenValue(text: string): boolean {
  return /^[A-Za-z0-9_-]{25,64}$/.test(text)
}

/** Runs of the token alphabet long enough to be a secret, anywhere in `text` (for masking). */
export function tokenValuesIn(text: string): string[] {
  return [...new Set([...text.matchAll(/[A-Za-z0-9_-]{25,}/g)].map(m => m[0]))]
}

export type CleanedValue =
  /** Token-shaped, with or without wrappings stripped (`wrapped` then says so). */
  | { kind: 'token'; value: string; wrapped: boolean }
  /** Printable and unbroken but not token-shaped: still worth one read, never "gone". */
  | { kind: 'unshaped'; value: string; wrapped: boolean }
  /** Blanks inside, control or non-ASCII characters: no API token looks like that; never sent. */
  | { kind: 'malformed'; reason: string }

/** Characters a paste leaves at either end: blanks, quotes of every kind, separators. */
const EDGE = /^[\s"'`\u2018\u2019\u201c\u201d,;]+|[\s"'`\u2018\u2019\u201c\u201d,;]+$/g
/** `export `, `set `, `-H ` (curl), then `Bearer ` or `Token `. */
const LEAD_WORD = /^(?:export|set|-H|bearer|token)\s+/i
/** `KEY=`, `KEY: `, `"KEY": ` (env files, headers, YAML, JSON). */
const KEY_PREFIX = /^[A-Za-z_][A-Za-z0-9_.-]*["']?\s*[:=]\s*/

/** One pasted entry, cleaned of its wrappings (see the file comment). */
export function cleanPastedValue(raw: string): CleanedValue {
  const start = raw.trim()
  let text = start
  for (let round = 0; round < 8; round++) {
    const before = text
    text = text.replace(EDGE, '')
    text = text.replace(LEAD_WORD, '')
    if (!hasTokenValueShape(text)) text = text.replace(KEY_PREFIX, '')
    if (text === before) break
  }
  if (text === '') return { kind: 'malformed', reason: 'empty once quotes and separators are stripped' }
  if (!/^[\x21-\x7e]+$/.test(text)) {
    return {
      kind: 'malformed',
      reason: 'not a token value: blanks, control or non-ASCII characters inside; never sent'
    }
  }
  const wrapped = text !== start
  return hasTokenValueShape(text)
    ? { kind: 'token', value: text, wrapped }
    : { kind: 'unshaped', value: text, wrapped }
}
