import pkg from '../../package.json' with { type: 'json' }

/**
 * The package version, read from package.json at build time: tsc keeps the import (the emitted
 * lib/ file reaches the published package.json), ncc inlines it into dist/, so the User-Agent
 * can never drift from the released version.
 */
export const PACKAGE_VERSION: string = pkg.version

/** The product token every request ends its User-Agent with. */
export const PRODUCT_TOKEN = `fastly-token-action/${PACKAGE_VERSION}`

/**
 * Fastly records the User-Agent of a token's last use (`user_agent` in the token record), so the
 * product token always comes last and names this package: an operator reading the token list can
 * tell which tool used a token. A caller's prefix (its own product) goes first, as RFC 9110
 * orders products from most to least significant.
 */
export function buildUserAgent(prefix?: string): string {
  if (prefix === undefined) return PRODUCT_TOKEN
  // Printable ASCII only: undici refuses characters beyond Latin-1 at request time (failing every
  // call), and Latin-1 bytes reach servers as obs-text that each one reads its own way.
  if (typeof prefix !== 'string' || !/^[\t\x20-\x7e]*$/.test(prefix)) {
    throw new TypeError(
      'userAgent must be a single-line string of printable ASCII (it is sent as the User-Agent prefix)'
    )
  }
  const trimmed = prefix.trim()
  return trimmed === '' ? PRODUCT_TOKEN : `${trimmed} ${PRODUCT_TOKEN}`
}
