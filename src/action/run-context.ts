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

export function readRunContext(): RunContext {
  const context = new Context()
  // Context.repo throws outside a runner; a local run still gets a usable (if vague) name.
  const repository = process.env.GITHUB_REPOSITORY
    ? `${context.repo.owner}/${context.repo.repo}`
    : 'local/unknown'
  return {
    repository,
    runId: String(context.runId || 0),
    runAttempt: String(context.runAttempt || 1),
    job: context.job || 'job'
  }
}

/** `gha/<owner>/<repo>/run-<run_id>-<attempt>/<job>`: an auditor can trace a token back to its run. */
export function defaultTokenName(context: RunContext): string {
  return `gha/${context.repository}/run-${context.runId}-${context.runAttempt}/${context.job}`
}
