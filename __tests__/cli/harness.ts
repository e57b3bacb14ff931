/** Runs the CLI in-process against a simulator, capturing stdout and stderr. */
import { Readable } from 'node:stream'
import { runCli } from '../../src/cli/run.js'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { findForgedLines } from '../hardening/support/command-scan.js'

export const DEMO = 'demo@example.com'
export const START = Date.UTC(2030, 0, 15, 12, 0, 5)

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/**
 * The CLI runs in workflow steps too (docs/examples), where the runner reads its stdout and stderr
 * for workflow commands: every run here is scanned like an action step is, and a raw escape
 * sequence for the terminal is a finding as well. The progress line's own redraw (`\r`, erase to
 * the end of the line) on a terminal is ours and allowed.
 */
export function assertNoForgedLines(output: { stdout: string; stderr: string }, tty = false): void {
  const stderr = tty ? output.stderr.replaceAll('\x1b[K', '') : output.stderr
  const findings = [
    ...findForgedLines(output.stdout).map(f => `stdout ${f}`),
    ...findForgedLines(stderr).map(f => `stderr ${f}`)
  ]
  if (findings.length > 0) throw new Error(`the CLI printed forged commands:\n${findings.join('\n')}`)
}

export class CliWorld {
  private constructor(
    readonly sim: Simulator,
    readonly apiToken: string,
    readonly callerId: string
  ) {}

  static async start(options: Parameters<typeof startSimulator>[0] = {}): Promise<CliWorld> {
    const sim = await startSimulator({ seed: 9, ...options })
    sim.state.clock.set(START)
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
    assertNoForgedLines({ stdout, stderr }, opts.tty === true)
    return { code, stdout, stderr }
  }

  alive(id: string): boolean {
    return this.sim.state.token(id) !== undefined
  }

  close(): Promise<void> {
    return this.sim.close()
  }
}
