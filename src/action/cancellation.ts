/**
 * A cancelled job: the runner signals the step (SIGINT, later SIGTERM) and runs the post step
 * afterwards. Dying at once could strand a token the API minted a moment ago but main had not yet
 * handed to state. So the first signal only starts a short grace period in which the current
 * request finishes and the token reaches state; a second signal, or the end of the grace, exits.
 */
import type { Runner } from './runner.js'

const CANCEL_GRACE_MS = 5_000

export function deferCancellation(runner: Runner, graceMs = CANCEL_GRACE_MS): () => void {
  let cancelled = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (cancelled) process.exit(1)
    cancelled = true
    runner.info(
      `${signal} received: finishing the current request so a minted token reaches the post step (at most ${graceMs / 1000} s)`
    )
    process.exitCode = 1
    setTimeout(() => process.exit(1), graceMs).unref()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
