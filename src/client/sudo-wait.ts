/**
 * POST /tokens right after POST /sudo can be refused with 403 "You must POST /sudo to access this
 * endpoint": users report the grant can take a while to take effect (reference §5.1). That exact
 * refusal minted nothing, so repeating the POST is safe; it is retried a few times, waiting
 * longer each time, as long as the caller's deadline allows the wait.
 */
import { FastlyApiError } from '../http/errors.js'

const SUDO_NOT_YET = /^You must POST \/sudo to access this endpoint/

/** Waits before each retry: about 37 s in all, the ballpark users report for the grant. */
export const SUDO_RETRY_DELAYS_MS: readonly number[] = [2_000, 5_000, 10_000, 20_000]

export function isSudoNotYetInEffect(error: unknown): boolean {
  return error instanceof FastlyApiError && error.status === 403 && SUDO_NOT_YET.test(error.apiMessage ?? '')
}

/** How long to wait before retry `attempt` (0-based), or undefined to give up and throw. */
export function sudoRetryDelay(
  error: unknown,
  attempt: number,
  now: number,
  deadline: number | undefined
): number | undefined {
  if (!isSudoNotYetInEffect(error)) return undefined
  const wait = SUDO_RETRY_DELAYS_MS[attempt]
  if (wait === undefined) return undefined
  if (deadline !== undefined && now + wait >= deadline) return undefined
  return wait
}
