/**
 * The slice of the GitHub Actions runner contract the action uses, behind one small interface, so
 * the steps take it as a dependency (tests hand in a recorder) and the real one is @actions/core.
 */
import * as core from '@actions/core'
import { guardLines } from '../text/log-text.js'

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

/**
 * The real runner: @actions/core over this process's environment, stdout and runner files. Every
 * text bound for the log passes guardLines on its way out: call sites put outside text through
 * logText themselves, and this last guard makes sure that a piece one of them missed still cannot
 * start or hold a workflow command (`::stop-commands::` would switch off the masking).
 */
export function createActionsRunner(): Runner {
  return {
    getInput: name => core.getInput(name),
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
    info: message => core.info(guardLines(message)),
    debug: message => core.debug(guardLines(message)),
    warning: (message, props) => core.warning(guardLines(message), guardTitle(props)),
    error: (message, props) => core.error(guardLines(message), guardTitle(props)),
    startGroup: name => core.startGroup(guardLines(name)),
    endGroup: () => core.endGroup(),
    appendSummary: async markdown => {
      if (!process.env.GITHUB_STEP_SUMMARY) {
        core.debug('GITHUB_STEP_SUMMARY is not set: no job summary written')
        return
      }
      await core.summary.addRaw(markdown, !markdown.endsWith('\n')).write()
    },
    setFailed: message => core.setFailed(guardLines(message))
  }
}

function guardTitle(props: AnnotationProperties | undefined): AnnotationProperties {
  return props?.title === undefined ? {} : { title: guardLines(props.title) }
}
