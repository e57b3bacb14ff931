/**
 * Entries of an id list that are not ids, shown so a responder can find them in the file: a few,
 * short, neutralised for a log line, and never one that may hold a token value. A leaked value
 * pasted among ids comes in every wrapping (`"V"`, `KEY=V`, `Bearer V`), so any run of the token
 * alphabet longer than an id hides the whole entry, not only a bare value.
 */
import { logText } from '../text/log-text.js'

/** Longer than the longest id (24) in the URL-safe base64 alphabet of access tokens. */
const VALUE_LIKE_RUN = /[A-Za-z0-9_-]{25,}/

const EXCERPT_LENGTH = 24

export function mayHoldTokenValue(entry: string): boolean {
  return VALUE_LIKE_RUN.test(entry)
}

/** One entry as it may be shown: quoted, cut short, safe for a log line; a possible secret hidden. */
export function entryExcerpt(entry: string): string {
  if (mayHoldTokenValue(entry)) return '(an entry that may be a token value, not shown)'
  // Code points, so an emoji is not cut in half; only the head is looked at, however long the entry.
  const chars = Array.from(entry.slice(0, EXCERPT_LENGTH * 2 + 1))
  const short = chars.length > EXCERPT_LENGTH ? `${chars.slice(0, EXCERPT_LENGTH).join('')}…` : entry
  return `"${logText(short)}"`
}

/** `"a", "b", "c" and 41 more`: the first few entries and the count of the rest. */
export function summariseEntries(entries: readonly string[], shown = 3): string {
  const head = entries.slice(0, shown).map(entryExcerpt).join(', ')
  const rest = entries.length - Math.min(shown, entries.length)
  return rest > 0 ? `${head} and ${rest} more` : head
}

/** Up to this many malformed entries get a report row each; more means the input is no id list. */
export const MOST_MALFORMED_ENTRIES = 20

/**
 * What is wrong with an id list's malformed entries as a whole, for the front end to word with
 * its input's name: some may hold a token value (refused, never shown), or there are too many
 * for an id list (a log pasted by mistake), summarised by count and excerpt.
 */
export type MalformedProblem =
  { kind: 'value-like'; count: number } | { kind: 'not-ids'; count: number; summary: string }

export function malformedProblem(malformed: readonly string[]): MalformedProblem | undefined {
  const valueLike = malformed.filter(mayHoldTokenValue).length
  if (valueLike > 0) return { kind: 'value-like', count: valueLike }
  if (malformed.length > MOST_MALFORMED_ENTRIES) {
    return { kind: 'not-ids', count: malformed.length, summary: summariseEntries(malformed) }
  }
  return undefined
}

/** "3 entries look" / "1 entry looks": the words both front ends put before a count. */
export function entriesLook(count: number): string {
  return `${count} entr${count === 1 ? 'y looks' : 'ies look'}`
}
