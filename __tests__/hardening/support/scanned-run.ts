/**
 * The runner emulation (scripts/run-action.js) with the "no forged command" scan built in: every
 * step a test runs through here has its stdout read as the runner reads it, and the run fails
 * when a line would be a command our code did not emit (see command-scan.ts). The e2e harness and
 * the hardening job runner take runStep/runJob from here, and eslint keeps tests from importing
 * the unscanned ones, so no end-to-end run goes unscanned, debug on or off.
 */
import {
  runJob as runJobUnscanned,
  runStep as runStepUnscanned,
  type RunStepOptions,
  type StepResult
} from '../../../scripts/run-action.js'
import { findForgedCommands, findForgedLines } from './command-scan.js'

export type { RunStepOptions, StepResult }

export class ForgedCommandError extends Error {
  override name = 'ForgedCommandError'
}

/**
 * Throws, naming each line, when a step's stdout holds a forged command. The runner reads stderr
 * for commands too; our steps write none there, so any command-shaped line in it is a finding.
 */
export function assertNoForgedCommand(
  result: Pick<StepResult, 'step' | 'stdout'> & { stderr?: string }
): void {
  const findings = [
    ...findForgedCommands(result.stdout),
    ...findForgedLines(result.stderr ?? '').map(finding => `stderr ${finding}`)
  ]
  if (findings.length > 0) {
    throw new ForgedCommandError(
      `dist/${result.step} printed ${findings.length} line(s) the runner would read as a forged command:\n` +
        findings.join('\n')
    )
  }
}

export async function runStep(options: RunStepOptions): Promise<StepResult> {
  const result = await runStepUnscanned(options)
  assertNoForgedCommand(result)
  return result
}

export async function runJob(
  options: Parameters<typeof runJobUnscanned>[0]
): Promise<{ main: StepResult; post: StepResult }> {
  const job = await runJobUnscanned(options)
  assertNoForgedCommand(job.main)
  assertNoForgedCommand(job.post)
  return job
}
