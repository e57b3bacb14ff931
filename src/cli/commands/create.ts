import { totp } from '../../client/index.js'
import {
  DEFAULT_SCOPE,
  parseDuration,
  parseOneTimeCode,
  parseScope,
  parseServices
} from '../../input/index.js'
import type { Command, CommandContext } from '../context.js'
import { EXIT, UsageError } from '../exit-codes.js'
import { flagValue } from '../flags.js'
import { readSecretStdin } from '../io.js'

const HELP = `Usage: fastly-tokens create [options]

Mints an API token and prints it ONCE, on stdout, alone on its line (so that
TOKEN=$(fastly-tokens create ...) works); what it is (id, name, scope, expiry)
goes to stderr. Store it right away: the API never shows it again.

Who mints it:
  --username EMAIL        the account's email; the password goes in the request
                          and no API token is needed
  (no --username)         FASTLY_API_TOKEN plus the password of its owner: the
                          sudo flow (POST /sudo, then POST /tokens)
  --password PASSWORD     the account's password; "-" reads it from stdin, and
                          FASTLY_PASSWORD is read when the flag is absent (an
                          argument shows in the process list: prefer those two)
  --otp CODE              a one-time code, for accounts with two-factor auth
  --totp-secret SECRET    the authenticator's base32 secret (or FASTLY_TOTP_SECRET):
                          the code is computed here

The token:
  --name NAME             default "fastly-tokens <ISO time>"
  --scope SCOPE           global, purge_select, purge_all, global:read; repeat or
                          space-separate for several (default global:read, the
                          least privilege)
  --services IDS          service ids, comma-separated, repeatable (default: all)
  --expires-in DURATION   15m, 1h, 90m, 2d... or "never" (default 1h)

Global: --json (print the created token as JSON on stdout), --api-url URL.`

export const createCommand: Command = {
  name: 'create',
  summary: 'mint a token (printed once, on stdout)',
  help: HELP,
  options: {
    username: { type: 'string' },
    password: { type: 'string' },
    otp: { type: 'string' },
    'totp-secret': { type: 'string' },
    name: { type: 'string' },
    scope: { type: 'string', multiple: true },
    services: { type: 'string', multiple: true },
    'expires-in': { type: 'string' }
  },
  async run(ctx: CommandContext, values: Record<string, unknown>): Promise<number> {
    const v = values as {
      username?: string
      password?: string
      otp?: string
      'totp-secret'?: string
      name?: string
      scope?: string[]
      services?: string[]
      'expires-in'?: string
    }
    const env = ctx.io.env
    let password = v.password ?? env.FASTLY_PASSWORD
    if (password === '-') {
      const ask = { ask: 'Password (not shown): ', multiple: false }
      password = (await readSecretStdin(ctx.io, '--password -', ask)).replace(/\r?\n$/, '')
    } else if (v.password !== undefined) {
      ctx.note(
        'note: a password given as an argument shows in the process list; FASTLY_PASSWORD or --password - do not'
      )
    }
    if (!password)
      throw new UsageError('--password (or FASTLY_PASSWORD, or --password - for stdin) is required')
    if (v.username !== undefined && !/^[^\s@]+@[^\s@]+$/.test(v.username)) {
      throw new UsageError("--username: expected the account's email address (the value is not printed)")
    }
    const totpSecret = v['totp-secret'] ?? env.FASTLY_TOTP_SECRET
    if (v['totp-secret'] !== undefined) {
      ctx.note(
        'note: a TOTP secret given as an argument shows in the process list; FASTLY_TOTP_SECRET does not'
      )
    }
    if (v.otp !== undefined && totpSecret !== undefined)
      throw new UsageError('give --otp or --totp-secret, not both')
    let otp = v.otp === undefined ? undefined : flagValue('--otp', v.otp, parseOneTimeCode)
    if (totpSecret !== undefined) {
      try {
        otp = totp(totpSecret, ctx.now())
      } catch (error) {
        throw new UsageError(`--totp-secret: ${(error as Error).message}`)
      }
    }

    const scope = flagValue('--scope', v.scope?.join(' ') ?? DEFAULT_SCOPE, parseScope)
    const services = flagValue('--services', (v.services ?? []).join(','), parseServices)
    const expiresIn = v['expires-in'] ?? '1h'
    const expiresAt =
      expiresIn.trim() === 'never'
        ? undefined
        : new Date(ctx.now() + flagValue('--expires-in', expiresIn, parseDuration))
    const name = v.name ?? `fastly-tokens ${new Date(ctx.now()).toISOString()}`
    if (name.trim() === '') throw new UsageError('--name: must not be empty')

    const client = ctx.client({
      needsToken: v.username === undefined,
      why: 'without --username, the sudo flow mints with an existing token and its owner’s password'
    })
    const created = await client.createToken({
      ...(v.username === undefined ? {} : { username: v.username }),
      password,
      name,
      scope,
      ...(services.length > 0 ? { services } : {}),
      ...(expiresAt ? { expiresAt } : {}),
      ...(otp === undefined ? {} : { otp })
    })

    // The one place a secret is printed, on purpose: stdout only, once.
    if (ctx.flags.json) {
      ctx.printJson(created)
    } else {
      ctx.print(created.access_token)
      ctx.note(
        `Created token ${created.id} "${created.name}", scope ${created.scope}, ` +
          `services ${created.services.length === 0 ? 'all' : created.services.join(',')}, ` +
          `expires ${created.expires_at ?? 'never'}. It was printed once, on stdout: store it now.`
      )
    }
    return EXIT.ok
  }
}
