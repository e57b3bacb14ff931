/**
 * `fastly-token-broker --config FILE [--host H] [--port P]`: starts the broker, prints exactly
 * one line `listening on http://H:P` once it accepts requests (audit lines follow on stdout),
 * and on SIGTERM or SIGINT stops accepting, lets requests in flight finish and exits 0. Any
 * problem before that is one line on stderr: exit 2 for usage, 1 for config or credential.
 */
import { parseArgs } from 'node:util'
import { ConfigError } from './config.js'
import { CredentialError } from './credentials.js'
import { startBroker, type Broker } from './start.js'

export interface BrokerCliIo {
  stdout(text: string): void
  stderr(text: string): void
  env: Record<string, string | undefined>
  /** Settles when the broker should stop. */
  stopSignal: Promise<unknown>
}

export const DEFAULT_BROKER_PORT = 8080

const USAGE = `Usage: fastly-token-broker --config FILE [--host H] [--port P]

Trades GitHub Actions OIDC ID tokens for short-lived Fastly API tokens under the config's policies.
The Fastly credential comes from FASTLY_BROKER_USERNAME, FASTLY_BROKER_PASSWORD and, for a 2FA
account, FASTLY_BROKER_TOTP_SECRET. Default host 127.0.0.1, port ${DEFAULT_BROKER_PORT} (0 picks a free one).`

export async function runBrokerCli(argv: string[], io: BrokerCliIo): Promise<number> {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      }
    }))
  } catch (error) {
    io.stderr(`fastly-token-broker: ${(error as Error).message}\n${USAGE}\n`)
    return 2
  }
  if (values.help) {
    io.stdout(`${USAGE}\n`)
    return 0
  }
  if (values.config === undefined || values.config === '') {
    io.stderr(`fastly-token-broker: --config FILE is required\n${USAGE}\n`)
    return 2
  }
  const portText = values.port ?? String(DEFAULT_BROKER_PORT)
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    io.stderr(`fastly-token-broker: --port: expected an integer from 0 to 65535, got "${portText}"\n`)
    return 2
  }
  let broker: Broker
  try {
    broker = await startBroker({
      configFile: values.config,
      host: values.host ?? '127.0.0.1',
      port: Number(portText),
      env: io.env,
      audit: line => io.stdout(`${line}\n`)
    })
  } catch (error) {
    const known = error instanceof ConfigError || error instanceof CredentialError
    const code = (error as { code?: string }).code
    const reason = known
      ? (error as Error).message
      : code !== undefined
        ? `cannot listen (${code})`
        : `cannot start: ${(error as Error).message}`
    io.stderr(`fastly-token-broker: ${reason}\n`)
    return 1
  }
  io.stdout(`listening on ${broker.url}\n`)
  await io.stopSignal
  await broker.close()
  return 0
}
