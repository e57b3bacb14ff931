/**
 * Where the step runs, from @actions/github's Context (which reads the variables the runner sets
 * for every step). The Context class is imported from its own file: the package's entry point also
 * loads Octokit, about 1.4 MB once bundled, which this action never calls.
 */
import { Context } from '../../node_modules/@actions/github/lib/context.js'

export interface RunContext {
  repository: string
  runId: string
  runAttempt: string
  job: string
}

/**
 * Never throws: the post step builds its dependencies before anything can report a failure, and
 * an unreadable event payload (GITHUB_EVENT_PATH) must not turn cleanup into a failed job. The
 * token name needs only the run's variables, so those are read directly when Context cannot be built.
 */
export function readRunContext(): RunContext {
  let context: Context | undefined
  try {
    context = new Context()
  } catch {
    context = undefined
  }
  const env = process.env
  // Context.repo throws outside a runner; a local run still gets a usable (if vague) name.
  const repository =
    env.GITHUB_REPOSITORY && context
      ? `${context.repo.owner}/${context.repo.repo}`
      : env.GITHUB_REPOSITORY || 'local/unknown'
  return {
    repository,
    runId: String(context?.runId || env.GITHUB_RUN_ID || 0),
    runAttempt: String(context?.runAttempt || env.GITHUB_RUN_ATTEMPT || 1),
    job: context?.job || env.GITHUB_JOB || 'job'
  }
}

/** `gha/<owner>/<repo>/run-<run_id>-<attempt>/<job>`: an auditor can trace a token back to its run. */
export function defaultTokenName(context: RunContext): string {
  return `gha/${context.repository}/run-${context.runId}-${context.runAttempt}/${context.job}`
}
