/**
 * The runner's files a step writes through (@actions/core appends to them): checked before the
 * first request, so that the common ways of not being able to hand a token over (the variable
 * unset, a directory, a file that cannot be opened for writing) fail before anything is minted.
 * A file that opens but whose writes fail (a full disk, `/dev/full`) can only show itself later;
 * the hand-over takes a token back at once when that happens (hand-over.ts).
 */
import { closeSync, openSync, statSync } from 'node:fs'
import { logText } from '../text/log-text.js'

export type RunnerFile = 'GITHUB_STATE' | 'GITHUB_OUTPUT' | 'GITHUB_ENV' | 'GITHUB_STEP_SUMMARY'

const PURPOSE: Record<RunnerFile, string> = {
  GITHUB_STATE: 'state for the post step',
  GITHUB_OUTPUT: 'step outputs',
  GITHUB_ENV: 'variables for later steps',
  GITHUB_STEP_SUMMARY: 'the job summary'
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'unknown error'
}

/** What is wrong with one file; undefined when it can be appended to. */
export function runnerFileProblem(
  name: RunnerFile,
  env: Record<string, string | undefined> = process.env
): string | undefined {
  const path = env[name]
  const what = `${name} (the runner's file for ${PURPOSE[name]})`
  if (!path)
    return `${what} is not set: run this step under a GitHub Actions runner (or scripts/run-action.js)`
  const shown = logText(path)
  let stat
  try {
    stat = statSync(path)
  } catch (error) {
    return `${what} cannot be read: "${shown}" (${errorCode(error)})`
  }
  if (stat.isDirectory()) return `${what} is a directory, not a file: "${shown}"`
  // A FIFO or socket would block or misbehave on open; character devices (/dev/null) are files enough.
  if (!stat.isFile() && !stat.isCharacterDevice()) return `${what} is not a regular file: "${shown}"`
  try {
    closeSync(openSync(path, 'a'))
  } catch (error) {
    return `${what} cannot be written: "${shown}" (${errorCode(error)})`
  }
  return undefined
}

export function runnerFileProblems(
  names: readonly RunnerFile[],
  env: Record<string, string | undefined> = process.env
): string[] {
  return names.flatMap(name => runnerFileProblem(name, env) ?? [])
}
