import { parseArgs } from 'node:util'
import { DEMO_ACCOUNTS, DEMO_CUSTOMER_ID } from './demo.js'
import type { BulkPolicy, SimulatorOptions, TwoFactorShape } from './options.js'
import type { Simulator } from './start.js'
import { startSimulator } from './start.js'

/** Where the command talks and what stops it; the bin passes the process, tests their own. */
export interface CliIo {
  stdout(text: string): void
  stderr(text: string): void
  /** Settles when the simulator should stop (SIGINT or SIGTERM for the real command). */
  stopSignal: Promise<unknown>
  /** Called once the simulator listens. */
  onReady?(sim: Simulator): void
}

export const DEFAULT_CLI_PORT = 8787

const USAGE = `Usage: fastly-token-simulator [options]

A local stand-in for the Fastly Tokens API, seeded with demo accounts.

Options:
  --port N                     port to listen on (default ${DEFAULT_CLI_PORT}; 0 picks a free one)
  --host H                     address to bind (default 127.0.0.1)
  --write-limit N              writes per user per clock hour (default 1000)
  --max-bulk-ids N             most ids one DELETE /tokens may carry (default 1000)
  --bulk-policy P              all-or-nothing (default) or skip-unknown
  --read-only-self-revoke B    true (default) or false: may a global:read token revoke itself
  --two-factor-shape S         msg (default), code or nested: the 2fa.verify body
  --latency-ms N               delay added to every request (default 0)
  --write-rate-limit-headers B true (default) or false: send Fastly-RateLimit-* on writes
  --seed N                     seed for ids and fault dice (replayable runs)
  --log                        print one line per request
  -h, --help                   show this help
`

class UsageError extends Error {}

function integer(
  flag: string,
  text: string | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER
): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`--${flag}: expected an integer from ${min} to ${max}, got "${text}"`)
  }
  return value
}

function oneOf<T extends string>(
  flag: string,
  text: string | undefined,
  allowed: readonly T[]
): T | undefined {
  if (text === undefined) return undefined
  if (!(allowed as readonly string[]).includes(text)) {
    throw new UsageError(`--${flag}: expected ${allowed.join(' or ')}, got "${text}"`)
  }
  return text as T
}

/** Turns the command line into simulator options; throws UsageError naming the bad flag. */
export function parseCliArgs(argv: string[]): { help: boolean; log: boolean; options: SimulatorOptions } {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'write-limit': { type: 'string' },
        'max-bulk-ids': { type: 'string' },
        'bulk-policy': { type: 'string' },
        'read-only-self-revoke': { type: 'string' },
        'two-factor-shape': { type: 'string' },
        'latency-ms': { type: 'string' },
        'write-rate-limit-headers': { type: 'string' },
        seed: { type: 'string' },
        log: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  const v = parsed.values
  const options: SimulatorOptions = { port: integer('port', v.port, 0, 65535) ?? DEFAULT_CLI_PORT }
  if (v.host !== undefined) options.host = v.host
  const writeLimit = integer('write-limit', v['write-limit'], 1)
  if (writeLimit !== undefined) options.writeLimitPerHour = writeLimit
  const maxBulk = integer('max-bulk-ids', v['max-bulk-ids'], 1)
  if (maxBulk !== undefined) options.maxBulkIds = maxBulk
  const policy = oneOf<BulkPolicy>('bulk-policy', v['bulk-policy'], ['all-or-nothing', 'skip-unknown'])
  if (policy !== undefined) options.bulkPolicy = policy
  const selfRevoke = oneOf('read-only-self-revoke', v['read-only-self-revoke'], ['true', 'false'])
  if (selfRevoke !== undefined) options.readOnlySelfRevoke = selfRevoke === 'true'
  const shape = oneOf<TwoFactorShape>('two-factor-shape', v['two-factor-shape'], ['msg', 'code', 'nested'])
  if (shape !== undefined) options.twoFactorShape = shape
  const latency = integer('latency-ms', v['latency-ms'], 0)
  if (latency !== undefined) options.latencyMs = latency
  const rateHeaders = oneOf('write-rate-limit-headers', v['write-rate-limit-headers'], ['true', 'false'])
  if (rateHeaders !== undefined) options.writeRateLimitHeaders = rateHeaders === 'true'
  const seed = integer('seed', v.seed, 0, 0xffffffff)
  if (seed !== undefined) options.seed = seed
  return { help: v.help === true, log: v.log === true, options }
}

function banner(sim: Simulator, demoToken: { id: string; access_token: string }): string {
  const accounts = DEMO_ACCOUNTS.map(account => {
    const extra = account.totpSecret ? `, TOTP secret ${account.totpSecret}` : ''
    return `  ${account.email.padEnd(18)} password ${account.password.padEnd(15)} ${account.role}${extra}`
  })
  const loopback = sim.host === '127.0.0.1' || sim.host === '::1' || sim.host === 'localhost'
  return [
    `Fastly Tokens API simulator listening on ${sim.url}`,
    ...(loopback
      ? []
      : ['Warning: bound to a non-loopback address; anyone who can reach it can use the demo accounts.']),
    `Demo accounts (customer ${DEMO_CUSTOMER_ID}):`,
    ...accounts,
    `Demo token for demo@example.com: ${demoToken.access_token} (id ${demoToken.id})`,
    `Try: curl -H "Fastly-Key: ${demoToken.access_token}" ${sim.url}/tokens/self`,
    `     curl -d username=demo@example.com -d password=demo-password -d name=ci ${sim.url}/tokens`,
    'Stop with Ctrl+C.',
    ''
  ].join('\n')
}

/**
 * `fastly-token-simulator`: starts a simulator with the demo accounts and one demo token,
 * prints how to reach it, and runs until `io.stopSignal` settles. Returns the exit code:
 * 0 after a clean stop, 1 when the server cannot start, 2 for a usage error.
 */
export async function runSimulatorCli(argv: string[], io: CliIo): Promise<number> {
  let parsed
  try {
    parsed = parseCliArgs(argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.stderr(`fastly-token-simulator: ${error.message}\n\n${USAGE}`)
    return 2
  }
  if (parsed.help) {
    io.stdout(USAGE)
    return 0
  }
  const options = parsed.options
  if (parsed.log) {
    options.onRequest = entry => {
      const faults = entry.faults.length > 0 ? ` [faults: ${entry.faults.join(', ')}]` : ''
      io.stdout(`${entry.time} ${entry.method} ${entry.path} -> ${entry.status || 'dropped'}${faults}\n`)
    }
  }
  let sim: Simulator
  try {
    sim = await startSimulator(options)
  } catch (error) {
    io.stderr(`fastly-token-simulator: cannot start: ${(error as Error).message}\n`)
    return 1
  }
  const demoToken = sim.state.addToken({ user: 'demo@example.com', name: 'simulator demo token' })
  io.stdout(banner(sim, demoToken))
  io.onReady?.(sim)
  try {
    await io.stopSignal
  } finally {
    await sim.close()
  }
  io.stdout('Simulator stopped.\n')
  return 0
}

/** The real process's streams and signals. */
export function processCliIo(): CliIo {
  return {
    stdout: text => void process.stdout.write(text),
    stderr: text => void process.stderr.write(text),
    stopSignal: new Promise(resolve => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
  }
}
