/**
 * The slice of the GitHub Actions runner contract the action uses, behind one small interface.
 * The real implementation writes workflow commands to stdout and file commands to the files the
 * runner names in GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV / GITHUB_STEP_SUMMARY. It replaces
 * @actions/core: that package pulls in a second copy of undici (for OIDC, which this action never
 * uses) and would alone take the bundle past 1 MB next to the client's undici.
 */
import { appendFileSync } from 'node:fs'
import { EOL } from 'node:os'
import { appendFileCommand } from './file-commands.js'
import { formatCommand, type CommandProperties } from './workflow-commands.js'

export interface AnnotationProperties {
  title?: string
}

export interface Runner {
  /** The raw input as the runner passes it (`INPUT_<NAME>`), trimmed; '' when not set. */
  getInput(name: string): string
  /** Asks the runner to replace this value with *** in every later log line. */
  setSecret(value: string): void
  setOutput(name: string, value: string): void
  saveState(name: string, value: string): void
  /** What the main step saved (`STATE_<name>`), '' when nothing was saved. */
  getState(name: string): string
  /** For later steps of the job (GITHUB_ENV) and for this process. */
  exportVariable(name: string, value: string): void
  info(message: string): void
  debug(message: string): void
  warning(message: string, properties?: AnnotationProperties): void
  error(message: string, properties?: AnnotationProperties): void
  startGroup(name: string): void
  endGroup(): void
  /** Appends Markdown to the job summary; a no-op when the runner gave no summary file. */
  appendSummary(markdown: string): void
  /** Marks the step failed (exit code 1) with an error annotation. */
  setFailed(message: string): void
  isDebug(): boolean
}

export interface ProcessRunnerOptions {
  env?: Record<string, string | undefined>
  write?: (line: string) => void
  setExitCode?: (code: number) => void
}

/** A file-command variable the step cannot work without: fail loudly rather than print values to stdout. */
function requireFile(env: Record<string, string | undefined>, name: string): string {
  const file = env[name]
  if (!file) {
    throw new Error(
      `${name} is not set: run this step under a GitHub Actions runner (or scripts/run-action.js)`
    )
  }
  return file
}

export function createProcessRunner(options: ProcessRunnerOptions = {}): Runner {
  const env = options.env ?? process.env
  const write = options.write ?? ((line: string) => void process.stdout.write(line + EOL))
  const setExitCode = options.setExitCode ?? ((code: number) => void (process.exitCode = code))
  const command = (name: string, message: string, props?: CommandProperties) =>
    write(formatCommand(name, message, props))

  return {
    getInput: name => (env[`INPUT_${name.replaceAll(' ', '_').toUpperCase()}`] ?? '').trim(),
    setSecret: value => command('add-mask', value),
    setOutput: (name, value) => appendFileCommand(requireFile(env, 'GITHUB_OUTPUT'), name, value),
    saveState: (name, value) => appendFileCommand(requireFile(env, 'GITHUB_STATE'), name, value),
    getState: name => env[`STATE_${name}`] ?? '',
    exportVariable: (name, value) => {
      appendFileCommand(requireFile(env, 'GITHUB_ENV'), name, value)
      env[name] = value
    },
    info: message => write(message),
    debug: message => command('debug', message),
    warning: (message, props) => command('warning', message, { ...props }),
    error: (message, props) => command('error', message, { ...props }),
    startGroup: name => command('group', name),
    endGroup: () => command('endgroup', ''),
    appendSummary: markdown => {
      const file = env.GITHUB_STEP_SUMMARY
      if (file) appendFileSync(file, markdown.endsWith('\n') ? markdown : markdown + EOL, 'utf8')
      else command('debug', 'GITHUB_STEP_SUMMARY is not set: no job summary written')
    },
    setFailed: message => {
      setExitCode(1)
      command('error', message)
    },
    isDebug: () => env.RUNNER_DEBUG === '1'
  }
}
