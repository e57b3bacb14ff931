/** What replaces a secret in text meant for humans. */
export const REDACTED = '[redacted]'

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Removes every known secret from text that came from the server (an API message may echo the
 * request) or from a socket error. Each secret is also removed in its percent-encoded and
 * form-encoded spellings, since a server echoing a form body would show those, and JSON-escaped,
 * as a JSON body would hold it. One pass over the text with the longest spellings first, so a
 * secret that contains another is removed whole and the marker itself is never rewritten.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  const spellings = new Set<string>()
  for (const secret of secrets) {
    if (secret === undefined || secret === '') continue
    spellings.add(secret)
    spellings.add(encodeURIComponent(secret))
    spellings.add(new URLSearchParams({ s: secret }).toString().slice(2))
    // As a JSON string holds it (quotes, backslashes and control characters escaped).
    spellings.add(JSON.stringify(secret).slice(1, -1))
  }
  if (spellings.size === 0) return text
  const pattern = [...spellings]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|')
  return text.replace(new RegExp(pattern, 'g'), REDACTED)
}
