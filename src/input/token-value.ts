/**
 * Telling a pasted access token from a token id, so that a leaked value put where ids go is never
 * sent in a request path or printed back. Access tokens are 32 characters of the URL-safe base64
 * alphabet (as recorded; some slack allowed), and about a third of real ones hold no `-` or `_` at
 * all, so length decides: anything longer than the longest plausible id (24, see
 * src/revoke/ids.ts) is treated as a possible secret.
 */
export function looksLikeTokenValue(text: string): boolean {
  return /^[A-Za-z0-9_-]{25,64}$/.test(text)
}
