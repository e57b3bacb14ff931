/**
 * End-to-end harness: the simulator over HTTP, dist/main and dist/post as child processes run the
 * way the runner runs them (scripts/run-action.js), and the leak check every scenario ends with.
 */
import { expect } from '@jest/globals'
import { runJob, runStep, type StepResult } from '../hardening/support/scanned-run.js'
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js'
import {
  artifactsOf,
  findLeaks,
  TOKEN_HOMES,
  type SecretHomes,
  type Secrets
} from '../hardening/support/leak-scan.js'

export { runJob, runStep, TOKEN_HOMES, type StepResult }

export const DEMO = {
  user: 'demo@example.com',
  password: 'demo-password',
  twoFactorUser: '2fa@example.com',
  twoFactorPassword: '2fa-password',
  totpSecret: 'JBSWY3DPEHPK3PXP'
} as const

export async function withSimulator<T>(
  options: SimulatorOptions,
  body: (sim: Simulator) => Promise<T>
): Promise<T> {
  const sim = await startSimulator({ seed: 7, ...options })
  try {
    return await body(sim)
  } finally {
    await sim.close()
  }
}

/**
 * The leak check: the hardening suite's scanner (every spelling of each secret; in stdout only inside
 * its own `::add-mask::` line; in the runner files only as the whole value of a key `allow` names,
 * after its mask). `allow` maps a secret's label to its sanctioned homes, e.g. `{ token: TOKEN_HOMES }`.
 */
export function assertNoLeak(
  result: StepResult,
  secrets: Record<string, string | undefined>,
  allow: Record<string, SecretHomes> = {}
): void {
  const specs: Secrets = Object.fromEntries(
    Object.entries(secrets).map(([label, value]) => [
      label,
      { value, ...(allow[label] ? { homes: allow[label] } : {}) }
    ])
  )
  expect(findLeaks(artifactsOf(result), specs)).toEqual([])
}

/** Commands of one kind, e.g. all `warning` messages. */
export function messages(result: StepResult, command: string): string[] {
  return result.commands.filter(c => c.command === command).map(c => c.message)
}

/** The plain log lines (no workflow commands). */
export function logLines(result: StepResult): string[] {
  return result.commands.filter(c => c.command === undefined).map(c => c.message)
}
