/**
 * Exit codes, for scripts that chain a revocation into the next step of an incident runbook.
 * The contract is the table in docs/cli.md and `fastly-tokens --help`; tests hold all three to it.
 */
export const EXIT = {
  /** Everything asked was done: every id or value revoked or already gone (with proof), the list
   *  or audit printed, the token created. */
  ok: 0,
  /** The run finished, but some ids or values are unknown to the API or not ours (not-found,
   *  forbidden, malformed, skipped-self): a rerun would not change them. */
  unknown: 1,
  /** Bad flags or input, refused before any request. */
  usage: 2,
  /** The API is unreachable, is not the Fastly API, or refused the caller (401, a one-time
   *  password needed). */
  api: 3,
  /** Anything else: a bug. */
  internal: 4,
  /** A rerun is needed: some ids or values were left (write budget, --max-time, a signal) or
   *  failed transiently. The left-file holds what to redo. */
  rerun: 5
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** When several apply, the first of these wins (a bug outranks them all). */
const PRIORITY: readonly ExitCode[] = [EXIT.internal, EXIT.usage, EXIT.api, EXIT.rerun, EXIT.unknown, EXIT.ok]

/** The code a run ends with when each of `codes` applies to some part of it (none: ok). */
export function combineExitCodes(codes: Iterable<ExitCode>): ExitCode {
  const seen = new Set(codes)
  return PRIORITY.find(code => seen.has(code)) ?? EXIT.ok
}

/** A 4xx that is neither the caller refused (401) nor the budget (429): a rerun gets it again. */
const PERMANENT_REFUSAL = /^HTTP 4(?!01|29)\d\d\b/

/**
 * What one outcome of the engine (by id or by value) asks of the exit code. A `failed` outcome is
 * a rerun unless its reason is a permanent refusal (a 403 to a value revoking itself, say): the
 * caller refused or an endpoint that is not the API ends the run earlier, with EXIT.api.
 */
export function exitCodeForOutcome(o: { outcome: string; reason?: string }): ExitCode {
  switch (o.outcome) {
    case 'revoked':
    case 'would-revoke':
    case 'already-gone':
      return EXIT.ok
    case 'not-found':
    case 'forbidden':
    case 'malformed':
    case 'skipped-self':
      return EXIT.unknown
    case 'failed':
      return PERMANENT_REFUSAL.test(o.reason ?? '') ? EXIT.unknown : EXIT.rerun
    default:
      // 'left', and any outcome this table does not know yet: a rerun decides.
      return EXIT.rerun
  }
}

/** A mistake in the command line or its input: exit 2, with the message and a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError'
}
