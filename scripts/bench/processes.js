/**
 * The processes a benchmark runs in: the simulator's host (sim-host.js), one fresh worker per
 * measured run (worker.js), and plain spawned commands timed from spawn to exit. Fresh workers
 * give every run the same start (cold JIT, empty heap) and a clean peak RSS of its own.
 */
import { fork, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = dirname(fileURLToPath(import.meta.url))
/** Worker stdout goes to our stderr: stdout is reserved for the table or the JSON object. */
const CHILD_STDIO = ['ignore', 2, 2, 'ipc']

/** The parent's handle on a host process (the simulator's, the broker's): calls over IPC. */
export class ProcessHost {
  #child
  #pending = new Map()
  #next = 0

  constructor(script) {
    this.#child = fork(join(HERE, script), [], { stdio: CHILD_STDIO, execArgv: [] })
    this.#child.on('message', ({ id, ok, value, error }) => {
      const waiter = this.#pending.get(id)
      if (!waiter) return
      this.#pending.delete(id)
      if (ok) waiter.resolve(value)
      else waiter.reject(new Error(`simulator host: ${error}`))
    })
    this.#child.on('exit', code => {
      for (const waiter of this.#pending.values()) waiter.reject(new Error(`simulator host exited (${code})`))
      this.#pending.clear()
    })
  }

  call(op, args) {
    const id = ++this.#next
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      this.#child.send({ id, op, args })
    })
  }

  async stop() {
    if (!this.#child.connected) return
    const exited = new Promise(resolve => this.#child.once('exit', resolve))
    await this.call('close').catch(() => {})
    this.#child.disconnect()
    await exited
  }
}

/** The simulator's host. */
export class SimHost extends ProcessHost {
  constructor() {
    super('sim-host.js')
  }
}

/**
 * Runs `jobs[job](params)` of scenario module `scenario` in a fresh Node process and resolves with
 * `{ result, maxRssKiB }` (maxRSS: the peak resident set of that whole process).
 */
export function runWorker(scenario, job, params, { timeoutMs = 300_000 } = {}) {
  const child = fork(join(HERE, 'worker.js'), [], { stdio: CHILD_STDIO, execArgv: ['--expose-gc'] })
  return new Promise((resolve, reject) => {
    let answer
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('message', message => {
      answer = message
      child.disconnect()
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (answer?.ok) resolve(answer.value)
      else
        reject(
          new Error(
            `${scenario}/${job}: ${answer?.error ?? `worker exited (${code ?? signal}) without an answer`}`
          )
        )
    })
    child.send({ scenario, job, params })
  })
}

/**
 * Spawns `node args...` the way scripts/run-action.js spawns a step (stdout and stderr read to the
 * end) and resolves with the wall time from spawn to exit.
 */
export function timeNode(args, { env = { PATH: process.env.PATH }, cwd } = {}) {
  const started = performance.now()
  const child = spawn(process.execPath, args, { env, cwd })
  child.stdout.resume()
  child.stderr.resume()
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', code => resolve({ exitCode: code, durationMs: performance.now() - started }))
  })
}
