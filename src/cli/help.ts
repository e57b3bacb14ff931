import { PACKAGE_VERSION } from '../client/index.js'
import type { Command } from './context.js'

export function mainHelp(commands: readonly Command[]): string {
  const width = commands.reduce((w, c) => Math.max(w, c.name.length), 0)
  return `fastly-tokens ${PACKAGE_VERSION}: Fastly API tokens from a terminal (create, list, revoke, audit)

Usage: fastly-tokens <command> [options]

Commands:
${commands.map(c => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Global options:
  --json           the result as JSON on stdout (notes and progress stay on stderr)
  --api-url URL    the API endpoint (default FASTLY_API_ENDPOINT, else https://api.fastly.com);
                   plain http:// only to a loopback address, such as a local simulator
  --progress       a progress line on stderr for long work (automatic on a terminal)
  -h, --help       help for a command: fastly-tokens <command> --help
  --version        the version

Environment: FASTLY_API_TOKEN (the API token; never taken as a flag), FASTLY_API_ENDPOINT,
FASTLY_CUSTOMER_ID, FASTLY_PASSWORD, FASTLY_TOTP_SECRET.

Exit codes (the most severe wins: 2, 3, 5, 1, then 0):
${EXIT_CODE_HELP}
`
}

/** The exit-code table, as --help shows it; docs/cli.md carries the same rows. */
export const EXIT_CODE_HELP = `  0  ok: everything asked was done (every id or value revoked or already gone, with proof)
  1  unknown: done, but some ids or values are unknown to the API or not ours
     (not-found, forbidden, malformed, skipped-self); a rerun would not change them
  2  usage: bad flags or input, refused before any request
  3  api: the API is unreachable, is not the Fastly API, or refused the caller
     (401, a one-time password needed)
  4  internal error (a bug)
  5  rerun: some ids or values were left (write budget, --max-time, a signal) or
     failed transiently; run again with the left-file`
