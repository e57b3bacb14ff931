/**
 * Durations (`expires-in`, `--expires-in`, `--max-time`, an age such as `30d`): one or more
 * `<integer><unit>` parts, largest unit first, units d, h, m, s (`15m`, `1h`, `90m`, `1h30m`,
 * `2d`). A bare number is refused: `60` could mean seconds or minutes, and a token's lifetime is
 * not the place to guess.
 */
import { parsed, problem, type Parsed } from './parsed.js'
import { logText } from '../text/log-text.js'

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const
type Unit = keyof typeof UNIT_MS
const ORDER: Unit[] = ['d', 'h', 'm', 's']

/** A positive whole number of milliseconds. */
export function parseDuration(text: string): Parsed<number> {
  const value = text.trim()
  if (value === '') return problem('it is empty')
  if (/^\d+$/.test(value))
    return problem(`"${logText(value)}" has no unit (write e.g. ${logText(value)}m or ${logText(value)}s)`)
  const parts = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value)
  if (!parts) return problem(`"${logText(value)}" is not a duration like 15m, 1h, 90m or 1h30m`)
  let ms = 0
  ORDER.forEach((unit, i) => {
    const amount = parts[i + 1]
    if (amount !== undefined) ms += Number(amount) * UNIT_MS[unit]
  })
  if (!Number.isSafeInteger(ms) || ms <= 0) return problem(`"${logText(value)}" is not a positive duration`)
  return parsed(ms)
}

/** `5400000` -> `1h30m`: for logs and summaries; parseDuration reads it back. */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms / 1000) * 1000
  let out = ''
  for (const unit of ORDER) {
    const amount = Math.floor(rest / UNIT_MS[unit])
    if (amount > 0) out += `${amount}${unit}`
    rest -= amount * UNIT_MS[unit]
  }
  return out || '0s'
}
