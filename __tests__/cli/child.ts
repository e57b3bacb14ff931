/**
 * `fastly-tokens` as a long-running child process, for what runChild (harness.ts) cannot do:
 * watch stderr while it runs and send it a signal, as a responder's Ctrl-C does.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { cliCommand } from './harness.js'

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
  const { file, args } = cliCommand(argv)
  const child = spawn(file, args, { env, stdio: ['pipe', 'pipe', 'pipe'] })
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
