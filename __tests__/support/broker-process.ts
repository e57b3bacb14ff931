/**
 * The broker's bin as a child process, the way an operator runs it: a YAML file on disk, the
 * credential in the environment, `listening on http://H:P` awaited on stdout. The TypeScript
 * sources run directly (Node's type transform plus ts-imports.mjs), so tests need no build.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { stringify } from 'yaml'

const ROOT = resolve(import.meta.dirname, '..', '..')
const NODE = join(ROOT, 'node_modules', '.bin', 'node')
const BIN = join(ROOT, 'src', 'broker', 'bin.ts')
const HOOKS = join(ROOT, '__tests__', 'support', 'ts-imports.mjs')

/** The simulator's demo account, as the broker's minting credential. */
export const DEMO_BROKER_ENV = {
  FASTLY_BROKER_USERNAME: 'demo@example.com',
  FASTLY_BROKER_PASSWORD: 'demo-password'
}

export interface BrokerProcess {
  readonly url: string
  readonly child: ChildProcess
  /** Every stdout line so far (the listening line first, then audit lines). */
  lines(): string[]
  /** The audit lines so far, parsed. */
  audit(): Record<string, unknown>[]
  stderr(): string
  /** Sends the signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export interface BrokerRun {
  code: number | null
  stdout: string
  stderr: string
}

/** A fresh directory holding `broker.yaml` with this config (an object is written as YAML). */
export async function writeBrokerConfig(
  config: unknown
): Promise<{ file: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'broker-config-'))
  const file = join(dir, 'broker.yaml')
  await writeFile(file, typeof config === 'string' ? config : stringify(config))
  return { file, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

function spawnBin(args: string[], env: Record<string, string | undefined>): ChildProcess {
  return spawn(NODE, ['--experimental-transform-types', '--no-warnings', '--import', HOOKS, BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe']
  })
}

/** Runs the bin to its end (for refusals at start): exit code, stdout, stderr. */
export function runBrokerBin(
  args: string[],
  env: Record<string, string | undefined> = {}
): Promise<BrokerRun> {
  const child = spawnBin(args, env)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  return new Promise(resolvePromise => {
    child.on('close', code => {
      clearTimeout(timer)
      resolvePromise({ code, stdout, stderr })
    })
  })
}

/** Starts the bin with `config` written to a YAML file and waits until it listens. */
export async function startBrokerProcess(options: {
  config: unknown
  env?: Record<string, string | undefined>
  args?: string[]
}): Promise<BrokerProcess> {
  const { file, cleanup } = await writeBrokerConfig(options.config)
  const child = spawnBin(['--config', file, '--host', '127.0.0.1', '--port', '0', ...(options.args ?? [])], {
    ...DEMO_BROKER_ENV,
    ...options.env
  })
  const lines: string[] = []
  let partial = ''
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>(resolvePromise => child.on('close', code => resolvePromise(code)))
  void exited.then(cleanup)
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker did not start within 20 s: ${stderr}`)), 20_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      partial += chunk.toString()
      const parts = partial.split('\n')
      partial = parts.pop() ?? ''
      for (const line of parts) {
        lines.push(line)
        const match = /^listening on (http:\/\/\S+)$/.exec(line)
        if (match && lines.length === 1) {
          clearTimeout(timer)
          resolveUrl(match[1] as string)
        }
      }
    })
    void exited.then(code => {
      clearTimeout(timer)
      reject(new Error(`broker exited with ${code} before listening: ${stderr}`))
    })
  })
  return {
    url,
    child,
    lines: () => [...lines],
    audit: () => lines.slice(1).map(line => JSON.parse(line) as Record<string, unknown>),
    stderr: () => stderr,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    }
  }
}
