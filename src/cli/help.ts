import { PACKAGE_VERSION } from '../client/index.js'
import type { Command } from './context.js'

export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map(c => c.name.length))
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

Exit codes:
  0  done: everything asked was done
  1  incomplete: some ids or values were not revoked (not found, forbidden, failed,
     or left because the write budget or --max-time ran out)
  2  usage: bad flags or input, refused before any request
  3  API: the API refused the caller (e.g. 401, a one-time password needed) or was unreachable
  4  internal error (a bug)
`
}
