/**
 * End-to-end harness: the simulator over HTTP, dist/main and dist/post as child processes run the
 * way the runner runs them (scripts/run-action.js), and the leak check every scenario ends with.
 * The fault-matrix and leak-scan suites build on these helpers.
 */
import { expect } from '@jest/globals'
import {
  parseFileCommandBlocks,
  runJob,
  runStep,
  type RunStepOptions,
  type StepResult
} from '../../scripts/run-action.js'
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js'

export { runJob, runStep, type StepResult }

export const DEMO = {
  user: 'demo@example.com',
  password: 'demo-password',
  admin: 'admin@example.com',
  adminPassword: 'admin-password',
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

/** Where a secret may legitimately sit, by design: only as the whole value of these keys. */
export interface LeakAllowance {
  outputs?: string[]
  state?: string[]
  env?: string[]
}

/** The minted token's sanctioned homes; every other secret has none. */
export const TOKEN_HOMES: LeakAllowance = { outputs: ['token'], state: ['token'], env: ['FASTLY_API_TOKEN'] }

function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
}

/** The forms a secret could take in a log: as is, command-escaped, URL-encoded, JSON-escaped. */
function variants(secret: string): string[] {
  return [
    ...new Set([secret, escapeData(secret), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])
  ]
}

function isMaskLineFor(line: string, secret: string): boolean {
  if (!line.startsWith('::add-mask::')) return false
  const masked = line.slice('::add-mask::'.length)
  return masked === escapeData(secret) || escapeData(secret).split('%0A').includes(masked)
}

/**
 * The leak check: each secret appears in stdout only inside its own `::add-mask::` line, which comes
 * before anything else could show it; never in stderr or the summary; in the output/state/env files
 * only as the whole value of a key `allow` names, and then only if this step masked it first.
 */
export function assertNoLeak(
  result: StepResult,
  secrets: Record<string, string | undefined>,
  allow: Record<string, LeakAllowance> = {}
): void {
  const leaks: string[] = []
  const lines = result.stdout.split(/\r?\n/)
  for (const [label, secret] of Object.entries(secrets)) {
    if (!secret) continue
    const forms = variants(secret)
    const contains = (text: string) => forms.some(form => text.includes(form))
    const where = (text: string) => forms.reduce((t, form) => t.replaceAll(form, `<${label}>`), text)
    let masked = false
    lines.forEach((line, index) => {
      if (isMaskLineFor(line, secret)) {
        masked = true
        return
      }
      if (contains(line))
        leaks.push(
          `${label} in stdout line ${index + 1}${masked ? '' : ' (before its add-mask)'}: ${where(line)}`
        )
    })
    if (contains(result.stderr)) leaks.push(`${label} in stderr: ${where(result.stderr)}`)
    if (contains(result.summary)) leaks.push(`${label} in the job summary`)
    const homes = allow[label] ?? {}
    // Every block of the raw files, not just the last value per name: an overwritten value leaked too.
    for (const [file, text] of [
      ['outputs', result.raw.output],
      ['state', result.raw.state],
      ['env', result.raw.env]
    ] as const) {
      for (const [key, value] of parseFileCommandBlocks(text)) {
        if (!contains(value)) continue
        const sanctioned = (homes[file] ?? []).includes(key) && value === secret
        if (!sanctioned) leaks.push(`${label} in ${file} "${key}"`)
        else if (!masked) leaks.push(`${label} written to ${file} "${key}" but never masked by this step`)
      }
    }
  }
  expect(leaks).toEqual([])
}

/** Commands of one kind, e.g. all `warning` messages. */
export function messages(result: StepResult, command: string): string[] {
  return result.commands.filter(c => c.command === command).map(c => c.message)
}

/** The plain log lines (no workflow commands). */
export function logLines(result: StepResult): string[] {
  return result.commands.filter(c => c.command === undefined).map(c => c.message)
}

export type StepOptions = Omit<RunStepOptions, 'step'>
