/** Types of scripts/run-action.js (the runner emulation), for the TypeScript tests. */

export interface ParsedLine {
  /** The workflow command (`add-mask`, `warning`, `debug`, ...), undefined for plain log text. */
  command: string | undefined
  properties?: Record<string, string>
  /** Unescaped message (the whole line for plain text). */
  message: string
  raw: string
}

export interface StepResult {
  step: 'main' | 'post'
  exitCode: number | null
  signal: NodeJS.Signals | null
  durationMs: number
  stdout: string
  stderr: string
  raw: { output: string; state: string; env: string; summary: string }
  outputs: Record<string, string>
  state: Record<string, string>
  env: Record<string, string>
  summary: string
  commands: ParsedLine[]
  /** The log as a runner shows it: masks applied, add-mask lines hidden. */
  log: string
}

export interface RunStepOptions {
  step: 'main' | 'post'
  inputs?: Record<string, string | undefined>
  env?: Record<string, string | undefined>
  state?: Record<string, string>
  debug?: boolean
  cwd?: string
  dist?: string
  actionYml?: string
  timeoutMs?: number
  /** Send this signal once stdout matches `line`, as a runner does when the job is cancelled. */
  signalWhen?: { signal: NodeJS.Signals; line: RegExp }
}

export function readInputDefaults(actionYmlText: string): Record<string, string>
export function parseFileCommandBlocks(text: string): Array<[string, string]>
export function runStep(options: RunStepOptions): Promise<StepResult>
export function runJob(
  options: Omit<RunStepOptions, 'step' | 'state'> & { post?: Partial<RunStepOptions> }
): Promise<{ main: StepResult; post: StepResult }>
