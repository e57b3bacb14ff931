/**
 * An id that goes into a URL path (`token_id`, `customer_id`). Ids are alphanumeric in practice;
 * the check here is only what keeps a path one segment long and unambiguous, and it runs before
 * any request so a bad id never reaches the API. The id is percent-encoded all the same.
 *
 * `self` is refused as a token id: `DELETE /tokens/self` revokes the caller's own token, and an id
 * list that happened to contain the word must not do that. `revokeTokenCurrent()` says it openly.
 */
export function encodePathId(
  argument: string,
  value: unknown,
  kind: 'token' | 'customer' | 'service'
): string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${argument} must be a non-empty ${kind} id string`)
  }
  if (value.length > 256)
    throw new TypeError(`${argument} is ${value.length} characters long; ${kind} ids are about 22`)
  if (/[\s/\\?#%\p{Cc}]/u.test(value) || value === '.' || value === '..') {
    throw new TypeError(
      `${argument} must be a single ${kind} id (letters and digits), not a path, URL or text with spaces`
    )
  }
  if (kind === 'token' && value.toLowerCase() === 'self') {
    throw new TypeError(
      `${argument} is "self"; use getTokenCurrent() or revokeTokenCurrent() for the calling token`
    )
  }
  return encodeURIComponent(value)
}
