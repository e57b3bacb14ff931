/** The four scopes the API knows; a token's `scope` is any space-delimited combination of them. */
export const KNOWN_SCOPES: readonly string[] = ['global', 'purge_select', 'purge_all', 'global:read']

export type ScopeParse = { ok: true; scopes: string[] } | { ok: false; unknown: string[] }

/**
 * Splits a space-delimited scope value (several values are joined), drops duplicates, keeps the
 * caller's order, and defaults to `global` as the API does when no scope is sent.
 */
export function parseScope(values: readonly string[]): ScopeParse {
  const scopes: string[] = []
  const unknown: string[] = []
  for (const value of values) {
    for (const part of value.split(/\s+/)) {
      if (part === '') continue
      if (!KNOWN_SCOPES.includes(part)) unknown.push(part)
      else if (!scopes.includes(part)) scopes.push(part)
    }
  }
  if (unknown.length > 0) return { ok: false, unknown }
  return { ok: true, scopes: scopes.length > 0 ? scopes : ['global'] }
}

/** `global` is what token management needs; purge-only and read-only tokens lack it. */
export function canWrite(scopes: readonly string[]): boolean {
  return scopes.includes('global')
}

/** A `global:read` token without `global`: the API refuses it on every write with its own message. */
export function isReadOnly(scopes: readonly string[]): boolean {
  return scopes.includes('global:read') && !scopes.includes('global')
}
