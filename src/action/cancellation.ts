/**
 * A cancelled job: the runner signals the step (SIGINT, later SIGTERM) and runs the post step
 * afterwards. Dying at once could strand a token the API minted a moment ago but main had not yet
 * handed to state. So the first signal aborts `stop` (no new request starts: a step cancelled
 * before its mint request sends nothing) and starts a short grace period in which a request in
 * flight finishes and its token reaches state. A second signal, or the end of the grace, exits;
 * just before that, the grace-end handlers run (main warns about a mint still unanswered).
 */
import type { Runner } from './runner.js'

const CANCEL_GRACE_MS = 5_000

export interface Cancellation {
  /** Aborted at the first signal. Pass it as a call's `stop`, and check it between phases. */
  readonly stop: AbortSignal
  /** The signal that cancelled the step, once one came. */
  readonly signalName: string | undefined
  /** Runs `fn` (synchronously) if the process exits at the end of the grace; returns the undo. */
  onGraceEnd(fn: () => void): () => void
}

/** Thrown at a phase boundary after a signal: the step stops there, nothing further is sent. */
export class StepCancelled extends Error {
  override name = 'StepCancelled'
}

/**
 * Lets a signal that arrived during the synchronous start be handled (Node runs signal handlers
 * from the event loop only), so the check that follows sees it before a request is dispatched.
 */
export function letSignalsIn(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve))
}

/** Throws StepCancelled with `what` (e.g. "before minting") once the step was cancelled. */
export function checkCancelled(cancellation: Cancellation | undefined, what: string): void {
  if (cancellation?.stop.aborted)
    throw new StepCancelled(`The job was cancelled (${cancellation.signalName ?? 'signal'}) ${what}.`)
}

export function deferCancellation(
  runner: Runner,
  graceMs = CANCEL_GRACE_MS
): { cancellation: Cancellation; release(): void } {
  const controller = new AbortController()
  const handlers = new Set<() => void>()
  let signalName: string | undefined
  const exit = () => {
    for (const fn of handlers) {
      try {
        fn()
      } catch {
        // Exiting anyway; a handler's failure must not keep a cancelled step alive.
      }
    }
    process.exit(1)
  }
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalName !== undefined) exit()
    signalName = signal
    runner.info(
      `${signal} received: no new request is sent; a request in flight may finish so a minted token reaches the post step (at most ${graceMs / 1000} s)`
    )
    process.exitCode = 1
    controller.abort()
    setTimeout(exit, graceMs).unref()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    cancellation: {
      stop: controller.signal,
      get signalName() {
        return signalName
      },
      onGraceEnd(fn) {
        handlers.add(fn)
        return () => void handlers.delete(fn)
      }
    },
    release() {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}
