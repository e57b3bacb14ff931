/**
 * Exit codes, for scripts that chain a revocation into the next step of an incident runbook.
 * Documented in the README and in `fastly-tokens --help`.
 */
export const EXIT = {
  /** Everything asked was done (every id revoked, the list or audit printed, the token created). */
  ok: 0,
  /** The run finished, but not everything was revoked: some ids were not found, forbidden, failed
   *  or left for a second run (write budget or deadline), or some value could not be revoked. */
  incomplete: 1,
  /** Bad flags or input, refused before any request. */
  usage: 2,
  /** The API refused the caller (401, a needed one-time password) or could not be reached. */
  api: 3,
  /** Anything else: a bug. */
  internal: 4
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** A mistake in the command line or its input: exit 2, with the message and a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError'
}
