/** Wires the simulated world to an HTTP server listening on loopback. */
import type { AddressInfo } from 'node:net'
import { SimClock } from './clock.js'
import type { SimCore } from './context.js'
import { FaultInjector } from './faults.js'
import { RequestLog } from './log.js'
import { SimStore } from './model.js'
import type { SimulatorOptions } from './options.js'
import { SimSettings } from './options.js'
import { randomSeed } from './random.js'
import { WriteBudget } from './rules/rate-limit.js'
import { createSimulatorServer } from './server.js'
import { idSource, populate, SimulatorState } from './state.js'

export interface Simulator {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  readonly url: string
  readonly host: string
  readonly port: number
  readonly state: SimulatorState
  /** Stops listening and cuts every connection, including requests held by latency faults. */
  close(): Promise<void>
}

function checkOptions(options: SimulatorOptions): void {
  if (options === null || typeof options !== 'object')
    throw new TypeError('startSimulator(options): expected an object')
  const { port, host, seed } = options
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new TypeError(`port: expected an integer from 0 to 65535, got ${String(port)}`)
  }
  if (host !== undefined && (typeof host !== 'string' || host === ''))
    throw new TypeError('host: expected a host name or address')
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)) {
    throw new TypeError(`seed: expected an integer from 0 to 4294967295, got ${String(seed)}`)
  }
  if (options.clock !== undefined && typeof options.clock?.now !== 'function') {
    throw new TypeError('clock: expected an object with a now() method returning epoch milliseconds')
  }
}

/** Starts a simulator; with no `users` it seeds the documented demo accounts. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  checkOptions(options)
  const seed = options.seed ?? randomSeed()
  const settings = new SimSettings(options)
  const core: SimCore = {
    store: new SimStore(),
    settings,
    clock: new SimClock(options.clock),
    budget: new WriteBudget(user => user?.writeLimitPerHour ?? settings.writeLimitPerHour),
    ids: idSource(options.seed)
  }
  const faults = new FaultInjector([...(options.faults ?? [])], seed)
  const log = new RequestLog(options.logLimit)
  populate(core, options)
  const state = new SimulatorState(core, faults, log, options, seed)

  const { server, shutdown } = createSimulatorServer({ core, faults, log, onRequest: options.onRequest })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  let closed: Promise<void> | undefined
  return {
    url,
    host,
    port,
    state,
    close() {
      closed ??= new Promise<void>(resolve => {
        server.close(() => resolve())
        shutdown()
      })
      return closed
    }
  }
}
