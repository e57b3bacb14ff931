import type { RevokeProgress } from '../revoke/index.js'
import type { CliOutput } from './io.js'

/**
 * The one progress line of a long revocation, on stderr: redrawn in place on a terminal, and
 * with `--progress` on a pipe or log file, one line each time a tenth more of the ids is settled
 * (or a wait starts), so a CI log stays short. The last state is always printed when the run
 * ends, so the final line counts what is left, not only what was settled.
 */
export class ProgressLine {
  private lastTenth = -1
  private lastWait: number | undefined
  private drawn = false
  private last: RevokeProgress | undefined
  private lastPrinted: RevokeProgress | undefined

  constructor(
    private readonly out: CliOutput,
    private readonly label: string,
    private readonly now: () => number = Date.now,
    /**
     * Off a terminal and without --progress: only a budget wait is told (when it ends, how
     * many wait), one line each, since a run silent for an hour looks like a hang.
     */
    private readonly waitsOnly = false
  ) {}

  update(p: RevokeProgress): void {
    if (this.waitsOnly) {
      if (p.waitingUntil !== undefined && p.waitingUntil !== this.lastWait)
        this.out.write(`${this.render(p)}\n`)
      this.lastWait = p.waitingUntil
      return
    }
    this.last = p
    const text = this.render(p)
    if (this.out.isTTY) {
      this.out.write(`\r${text}\x1b[K`)
      this.drawn = true
      this.lastPrinted = p
      return
    }
    const tenth = p.total === 0 ? 10 : Math.floor((p.done * 10) / p.total)
    if (tenth === this.lastTenth && p.waitingUntil === this.lastWait) return
    this.lastTenth = tenth
    this.lastWait = p.waitingUntil
    this.lastPrinted = p
    this.out.write(`${text}\n`)
  }

  /** Prints the last state if it was not shown, and ends the line on a terminal. */
  done(): void {
    if (this.last && this.last !== this.lastPrinted) {
      const { waitingUntil: _wait, ...final } = this.last
      this.lastPrinted = this.last
      this.out.write(this.out.isTTY ? `\r${this.render(final)}\x1b[K` : `${this.render(final)}\n`)
      if (this.out.isTTY) this.drawn = true
    }
    if (this.drawn) this.out.write('\n')
    this.drawn = false
  }

  private render(p: RevokeProgress): string {
    // Left: not settled yet, or settled as left for a rerun (budget, deadline, signal).
    const left = p.total - p.done + (p.left ?? 0)
    const base =
      `${this.label}: ${p.done}/${p.total} settled, ${p.revoked} revoked, ${p.failed} not revoked, ` +
      `${p.writes} write request${p.writes === 1 ? '' : 's'}, ${left} left`
    if (p.waitingUntil === undefined) return base
    const minutes = Math.max(1, Math.ceil((p.waitingUntil - this.now()) / 60_000))
    const waiting = p.total - p.done
    return (
      `${base}; write budget spent: ${waiting} wait${waiting === 1 ? 's' : ''} until ` +
      `${new Date(p.waitingUntil).toISOString()} (in about ${minutes} min) for it to reset`
    )
  }
}
