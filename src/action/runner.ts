/**
 * The slice of the GitHub Actions runner contract the action uses, behind one small interface, so
 * the steps take it as a dependency (tests hand in a recorder) and the real one is @actions/core.
 */
import * as core from '@actions/core'
import { logText } from '../text/log-text.js'
import { runnerFileProblems, type RunnerFile } from './runner-files.js'

export interface AnnotationProperties {
  title?: string
}

export interface Runner {
  /** The input as the runner passes it (`INPUT_<NAME>`), trimmed; '' when not set. */
  getInput(name: string): string
  /** The same, not trimmed: a secret reaches the API exactly as given (core.getInput trims). */
  getRawInput(name: string): string
  /** What keeps each of these runner files from being written ([] when all can be). */
  checkFiles(names: readonly RunnerFile[]): string[]
  /**
   * An OIDC ID token for `audience` from the runner (`permissions: id-token: write`). Rejects
   * with one clear line when the job may not have one.
   */
  getIDToken(audience: string): Promise<string>
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
  /**
   * Appends Markdown to the job summary; a no-op when the runner gave no summary file. Never
   * rejects: the summary is best effort, and a file that cannot be written is one warning per step.
   */
  appendSummary(markdown: string): Promise<void>
  /** Marks the step failed (exit code 1) with an error annotation. */
  setFailed(message: string): void
}

/**
 * Without the runner's file, @actions/core falls back to printing outputs and state as workflow
 * commands on stdout. The values are masked by then, but a token has no business on stdout at all:
 * refuse instead.
 */
function requireRunnerFile(name: 'GITHUB_OUTPUT' | 'GITHUB_STATE' | 'GITHUB_ENV'): void {
  if (!process.env[name]) {
    throw new Error(
      `${name} is not set: run this step under a GitHub Actions runner (or scripts/run-action.js)`
    )
  }
}

/** The real runner: @actions/core over this process's environment, stdout and runner files. */
export function createActionsRunner(): Runner {
  let summaryWarned = false
  return {
    getInput: name => core.getInput(name),
    getRawInput: name => core.getInput(name, { trimWhitespace: false }),
    checkFiles: names => runnerFileProblems(names),
    getIDToken: async audience => {
      // The runner sets these two only for a job with `permissions: id-token: write`.
      if (!process.env.ACTIONS_ID_TOKEN_REQUEST_URL || !process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
        throw new Error(
          'broker-url needs an OIDC ID token from the runner, but ACTIONS_ID_TOKEN_REQUEST_URL is not set: give the job `permissions: id-token: write` (and contents: read)'
        )
      }
      try {
        return await core.getIDToken(audience)
      } catch (error) {
        const why = logText(error instanceof Error ? error.message : String(error))
        throw new Error(
          `The runner did not issue an ID token for audience "${logText(audience)}" (${why}); check the job's \`permissions: id-token: write\``
        )
      }
    },
    setSecret: value => core.setSecret(value),
    setOutput: (name, value) => {
      requireRunnerFile('GITHUB_OUTPUT')
      core.setOutput(name, value)
    },
    saveState: (name, value) => {
      requireRunnerFile('GITHUB_STATE')
      core.saveState(name, value)
    },
    getState: name => core.getState(name),
    exportVariable: (name, value) => {
      requireRunnerFile('GITHUB_ENV')
      core.exportVariable(name, value)
    },
    info: message => core.info(message),
    debug: message => core.debug(message),
    warning: (message, props) => core.warning(message, { ...props }),
    error: (message, props) => core.error(message, { ...props }),
    startGroup: name => core.startGroup(name),
    endGroup: () => core.endGroup(),
    appendSummary: async markdown => {
      if (!process.env.GITHUB_STEP_SUMMARY) {
        core.debug('GITHUB_STEP_SUMMARY is not set: no job summary written')
        return
      }
      try {
        await core.summary.addRaw(markdown, !markdown.endsWith('\n')).write()
      } catch (error) {
        // The step's real work is done or reported elsewhere; a summary file problem never fails it.
        core.summary.emptyBuffer()
        if (summaryWarned) return
        summaryWarned = true
        const why = logText(error instanceof Error ? error.message : String(error))
        core.warning(
          `Could not write the job summary (${why}); the log above has everything it would have said`,
          { title: 'Job summary not written' }
        )
      }
    },
    setFailed: message => core.setFailed(message)
  }
}
