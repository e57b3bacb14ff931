/**
 * `fastly-tokens` as a child process, the way a responder runs it: its own process, real
 * signals, real exit codes, stdin piped. It runs from the TypeScript sources on the project's
 * Node 24 (types stripped by Node, `.js` imports mapped to `.ts` by support/ts-resolve.mjs).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')
const NODE = join(ROOT, 'node_modules/.bin/node')
const BIN = join(ROOT, 'src/cli/bin.ts')
const HOOK = join(ROOT, '__tests__/cli/support/ts-resolve.mjs')

export interface ChildRun {
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves once stderr matches (rejects if the process ends first). */
  waitForStderr(pattern: RegExp): Promise<void>
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export function startCli(
  argv: string[],
  opts: { env: Record<string, string | undefined>; stdin?: string }
): ChildRun {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', NO_COLOR: '1' }
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v
  const child = spawn(
    NODE,
    ['--experimental-transform-types', '--no-warnings', '--import', HOOK, BIN, ...argv],
    { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] }
  )
  let out = ''
  let err = ''
  const watchers: { pattern: RegExp; resolve: () => void }[] = []
  child.stdout!.on('data', (b: Buffer) => (out += b.toString('utf8')))
  child.stderr!.on('data', (b: Buffer) => {
    err += b.toString('utf8')
    for (const w of watchers.splice(0)) {
      if (w.pattern.test(err)) w.resolve()
      else watchers.push(w)
    }
  })
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(done =>
    child.on('close', (code, signal) => done({ code, signal }))
  )
  child.stdin!.end(opts.stdin ?? '')
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    waitForStderr: pattern =>
      new Promise<void>((resolveWait, reject) => {
        if (pattern.test(err)) return resolveWait()
        watchers.push({ pattern, resolve: resolveWait })
        void exit.then(() => reject(new Error(`the CLI ended before stderr matched ${pattern}:\n${err}`)))
      })
  }
}

/** Runs to the end: exit code and output. */
export async function runCliChild(
  argv: string[],
  opts: { env: Record<string, string | undefined>; stdin?: string }
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startCli(argv, opts)
  const { code } = await run.exit
  return { code, stdout: run.stdout(), stderr: run.stderr() }
}
