/**
 * Claim patterns: an exact string, or a glob where `*` stands for any run of characters (slashes
 * included: `acme/*` is every repository of acme) and `?` for exactly one. Matching is anchored
 * at both ends and case-sensitive, as GitHub writes its claims.
 */
export interface ClaimPattern {
  /** As written in the config, for the audit log and messages. */
  source: string
  matches(value: string): boolean
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, '\\$&')
}

export function compilePattern(source: string): ClaimPattern {
  if (!/[*?]/.test(source)) return { source, matches: value => value === source }
  const body = source
    .split('')
    .map(c => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegExp(c)))
    .join('')
  const regex = new RegExp(`^${body}$`, 's')
  return { source, matches: value => regex.test(value) }
}

/** A pattern that would match (nearly) anything: only wildcards. */
export function isMatchAll(source: string): boolean {
  return /^[*?]+$/.test(source)
}
