/**
 * The real dependencies of both steps: the runner (@actions/core), the Tokens client over undici, the
 * system clock and the run context from the runner's variables. Entry points build these and call
 * runMain / runPost; nothing else in the action reaches for process globals.
 */
import { resolve } from 'node:path'
import { FastlyTokensClient, type RetryPolicy } from '../client/index.js'
import { readIdFileSync } from '../revoke/index.js'
import { logText } from '../text/log-text.js'
import type { Cancellation } from './cancellation.js'
import { readRunContext, type RunContext } from './run-context.js'
import { createActionsRunner, type Runner } from './runner.js'

export interface ClientRequest {
  baseUrl: string
  apiToken?: string
  retry?: Partial<RetryPolicy>
}

export interface StepDeps {
  runner: Runner
  /** Builds the real client (tests point it at the simulator through api-url, like users do). */
  createClient(request: ClientRequest): FastlyTokensClient
  now(): number
  context: RunContext
  readTextFile(path: string): string
  /** The runner's cancellation (main only); absent: the step cannot be cancelled. */
  cancellation?: Cancellation
}

/** Reads are free and fast; this bounds a whole step's waiting on a struggling API. */
export const MAIN_DEADLINE_MS = 5 * 60_000

const USER_AGENT = 'github-action'

export function createStepDeps(env: Record<string, string | undefined> = process.env): StepDeps {
  // The client must use only what the inputs say: a FASTLY_API_TOKEN exported by an earlier step
  // (or by this action's previous use in the job) must not become this step's credential.
  const clientEnv = { ...env, FASTLY_API_TOKEN: undefined, FASTLY_API_ENDPOINT: undefined }
  const runner = createActionsRunner()
  return {
    runner,
    createClient: (request: ClientRequest) =>
      new FastlyTokensClient({
        baseUrl: request.baseUrl,
        ...(request.apiToken ? { apiToken: request.apiToken } : {}),
        ...(request.retry ? { retry: request.retry } : {}),
        userAgent: USER_AGENT,
        env: clientEnv,
        // What the client corrected in an answer (an out-of-range rate-limit header): debug only.
        debug: line => runner.debug(logText(line))
      }),
    now: Date.now,
    context: readRunContext(),
    // Relative paths are the workspace's, as in every other action's file inputs. Bounded, and
    // regular files only: the module's reader, the CLI's --ids-file's too.
    readTextFile: path => readIdFileSync(resolve(env.GITHUB_WORKSPACE || process.cwd(), path))
  }
}
