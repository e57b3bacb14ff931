import type { CommandContext } from './context.js'
import { combineExitCodes, EXIT, type ExitCode } from './exit-codes.js'

/**
 * Ctrl-C (SIGINT) or SIGTERM during a revoke: the engine stops after the writes in flight (they
 * are never cut off, so their answers still count), every id or value not done is reported left,
 * the report and the left-file are written, and the run exits 5 (rerun).
 */
export interface Interruption {
  signal: AbortSignal
  /** The signal's name once one arrived. */
  readonly received: string | undefined
  /** The run's exit code, made "rerun" (5) at least when a signal stopped it. */
  exitCode(code: number): number
  stop(): void
}

export function watchInterrupts(ctx: CommandContext): Interruption {
  const controller = new AbortController()
  let received: string | undefined
  const off = ctx.io.onInterrupt?.(name => {
    received = name
    ctx.note(
      `\n${name}: stopping after the requests in flight; the report and the left-file follow (again to quit at once)`
    )
    controller.abort()
  })
  return {
    signal: controller.signal,
    get received() {
      return received
    },
    exitCode: code => (received === undefined ? code : combineExitCodes([code as ExitCode, EXIT.rerun])),
    stop: () => off?.()
  }
}
