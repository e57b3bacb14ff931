/**
 * Where the step runs, read from the variables the runner sets for every step (GITHUB_REPOSITORY,
 * GITHUB_RUN_ID, ...). Read directly rather than through @actions/github, whose entry point loads
 * Octokit (about a megabyte) for four strings.
 */

export interface RunContext {
  repository: string
  runId: string
  runAttempt: string
  job: string
  serverUrl: string
}

export function readRunContext(env: Record<string, string | undefined>): RunContext {
  return {
    repository: env.GITHUB_REPOSITORY || 'local/unknown',
    runId: env.GITHUB_RUN_ID || '0',
    runAttempt: env.GITHUB_RUN_ATTEMPT || '1',
    job: env.GITHUB_JOB || 'job',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com'
  }
}

/** `gha/<owner>/<repo>/run-<run_id>-<attempt>/<job>`: an auditor can trace a token back to its run. */
export function defaultTokenName(context: RunContext): string {
  return `gha/${context.repository}/run-${context.runId}-${context.runAttempt}/${context.job}`
}

/** Link to the run, for the job summary. */
export function runUrl(context: RunContext): string {
  return `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`
}
