/**
 * Runs the CLI against a simulator: in-process (runCli with a test clock, fast), or as a child
 * process the way a user runs `fastly-tokens` (real streams, pipes, signals, a terminal).
 */
import { spawn } from 'node:child_process'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { runCli } from '../../src/cli/run.js'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'

export const DEMO = 'demo@example.com'
export const START = Date.UTC(2030, 0, 15, 12, 0, 5)

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export class CliWorld {
  private constructor(
    readonly sim: Simulator,
    readonly apiToken: string,
    readonly callerId: string
  ) {}

  static async start(
    options: Parameters<typeof startSimulator>[0] = {},
    how: { realClock?: boolean } = {}
  ): Promise<CliWorld> {
    const sim = await startSimulator({ seed: 9, ...options })
    if (how.realClock !== true) sim.state.clock.set(START)
    const caller = sim.state.addToken({ user: DEMO, name: 'responder', scope: 'global' })
    return new CliWorld(sim, caller.access_token, caller.id)
  }

  now = (): number => this.sim.state.clock.now()

  /** fastly-tokens <argv> with FASTLY_API_TOKEN and the simulator's URL unless `env` overrides them. */
  async run(
    argv: string[],
    opts: { env?: Record<string, string | undefined>; stdin?: string; tty?: boolean } = {}
  ): Promise<CliResult> {
    let stdout = ''
    let stderr = ''
    const code = await runCli(argv, {
      env: { FASTLY_API_TOKEN: this.apiToken, FASTLY_API_ENDPOINT: this.sim.url, ...opts.env },
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s), isTTY: opts.tty === true },
      stdin: Readable.from(opts.stdin === undefined ? [] : [opts.stdin]),
      now: this.now,
      sleep: async ms => this.sim.state.clock.advance(ms),
      clientOptions: { retry: { maxAttempts: 2, baseDelayMs: 0, sleep: async () => {}, now: this.now } }
    })
    return { code, stdout, stderr }
  }

  /**
   * `fastly-tokens <argv>` as a child process, on the sources (no build step). The simulator's
   * clock must follow the real one for this (start the world with `realClock`), since the child
   * reads the machine's time.
   */
  child(argv: string[], opts: { env?: Record<string, string | undefined>; stdin?: string } = {}) {
    return runChild(argv, {
      env: { FASTLY_API_TOKEN: this.apiToken, FASTLY_API_ENDPOINT: this.sim.url, ...opts.env },
      ...(opts.stdin === undefined ? {} : { stdin: opts.stdin })
    })
  }

  alive(id: string): boolean {
    return this.sim.state.token(id) !== undefined
  }

  close(): Promise<void> {
    return this.sim.close()
  }
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const NODE = `${ROOT}node_modules/.bin/node`
const LOADER = fileURLToPath(new URL('./support/source-loader.mjs', import.meta.url))

/** The command line that runs the CLI's sources as `fastly-tokens` would run: node and its flags. */
export function cliCommand(argv: readonly string[]): { file: string; args: string[] } {
  return {
    file: NODE,
    args: [
      '--experimental-transform-types',
      '--no-warnings',
      '--import',
      LOADER,
      `${ROOT}src/cli/bin.ts`,
      ...argv
    ]
  }
}

/** Spawns the CLI with only the given environment (plus PATH), feeding `stdin` and closing it. */
export function runChild(
  argv: readonly string[],
  opts: { env?: Record<string, string | undefined>; stdin?: string } = {}
): Promise<CliResult> {
  const { file, args } = cliCommand(argv)
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' }
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s))
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s))
    child.on('error', reject)
    child.on('close', code => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.on('error', () => {})
    child.stdin.end(opts.stdin ?? '')
  })
}
