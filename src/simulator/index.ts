/**
 * A faithful stand-in for the Fastly Tokens API: a real HTTP server on loopback with the
 * eight Tokens endpoints and POST /sudo, their shapes and rules, a write budget, seeded fault
 * injection and an in-code inspection API. Separate entry point: `fastly-token-action/simulator`.
 */

export type {
  BulkPolicy,
  SimRole,
  SimTokenSeed,
  SimulatorOptions,
  SimUserSeed,
  TwoFactorShape
} from './options.js'
export { DEFAULT_SETTINGS, SimSettings } from './options.js'
export type { FaultKind, FaultRule } from './faults.js'
export type { RequestLogEntry } from './log.js'
export type { ClockSource } from './clock.js'
export { SimClock } from './clock.js'
export type { SimUserView } from './state.js'
export { SimulatorState } from './state.js'
export { DEMO_ACCOUNTS, DEMO_CUSTOMER_ID } from './demo.js'
export { MESSAGES } from './errors.js'
export { runSimulatorCli } from './cli.js'
export type { CliIo } from './cli.js'

export { startSimulator } from './start.js'
export type { Simulator } from './start.js'
