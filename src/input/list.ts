/**
 * A list as people write it in a workflow input or on a command line: separated by commas,
 * newlines or blanks, in any mix. Empty entries and repeats are dropped; the order is kept.
 */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))]
}
