import { UsageError } from './exit-codes.js'

/**
 * `--expires-in` and `--max-time`: `<integer><unit>` parts, largest first, units d, h, m, s
 * (`15m`, `1h`, `1h30m`, `2d`). A bare number is refused: seconds or minutes would be a guess.
 */
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 }

export function parseDurationFlag(flag: string, text: string): number {
  const value = text.trim()
  const parts = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value)
  if (value === '' || !parts) {
    throw new UsageError(`${flag}: expected a duration such as 15m, 1h, 90m or 1h30m, got "${value}"`)
  }
  const ms = ['d', 'h', 'm', 's'].reduce(
    (sum, unit, i) => sum + Number(parts[i + 1] ?? 0) * UNIT_MS[unit]!,
    0
  )
  if (!Number.isSafeInteger(ms) || ms <= 0)
    throw new UsageError(`${flag}: expected a positive duration, got "${value}"`)
  return ms
}
