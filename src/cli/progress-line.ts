import type { RevokeProgress } from '../revoke/index.js'
import type { CliOutput } from './io.js'

/**
 * The one progress line of a long revocation, on stderr: redrawn in place on a terminal, and
 * with `--progress` on a pipe or log file, one line each time a tenth more of the ids is settled
 * (or a wait starts), so a CI log stays short.
 */
export class ProgressLine {
  private lastTenth = -1
  private lastWait: number | undefined
  private drawn = false

  constructor(
    private readonly out: CliOutput,
    private readonly label: string
  ) {}

  update(p: RevokeProgress): void {
    const text = this.render(p)
    if (this.out.isTTY) {
      this.out.write(`\r${text}\x1b[K`)
      this.drawn = true
      return
    }
    const tenth = p.total === 0 ? 10 : Math.floor((p.done * 10) / p.total)
    if (tenth === this.lastTenth && p.waitingUntil === this.lastWait) return
    this.lastTenth = tenth
    this.lastWait = p.waitingUntil
    this.out.write(`${text}\n`)
  }

  /** Ends the line on a terminal so that what follows starts on its own line. */
  done(): void {
    if (this.drawn) this.out.write('\n')
    this.drawn = false
  }

  private render(p: RevokeProgress): string {
    const base = `${this.label}: ${p.done}/${p.total} settled, ${p.revoked} revoked, ${p.failed} not revoked, ${p.writes} write request${p.writes === 1 ? '' : 's'}`
    return p.waitingUntil === undefined
      ? base
      : `${base}; write budget spent, waiting until ${new Date(p.waitingUntil).toISOString()} for it to reset`
  }
}
