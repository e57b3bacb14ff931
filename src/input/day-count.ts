/** A number of days, for "unused for N days": whole, at least one, at most a century. */
import { parsed, problem, type Parsed } from './parsed.js'
import { logText } from '../text/log-text.js'

export const MAX_DAYS = 36_500

export function parseDayCount(text: string): Parsed<number> {
  const value = text.trim()
  const days = Number(value)
  if (!/^\d+$/.test(value) || days < 1 || days > MAX_DAYS)
    return problem(`expected a whole number of days from 1 to ${MAX_DAYS}, got "${logText(value)}"`)
  return parsed(days)
}
