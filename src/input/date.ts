/**
 * A point in time as a responder writes it for "created before": a date (`2024-01-31`, midnight
 * UTC), a date and time in ISO 8601 (`2024-01-31T12:00:00Z`, an offset, or none: the local time,
 * as JavaScript reads it), or an age counted back from now (`30d`, `12h`).
 */
import { parseDuration } from './duration.js'
import { parsed, problem, type Parsed } from './parsed.js'
import { logText } from '../text/log-text.js'

const DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/

/** JavaScript rolls 2024-02-31 over to 2 March; a responder who typed it meant something else. */
function isCalendarDate(ymd: string): boolean {
  const [year, month, day] = ymd.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

export function parseDateOrAge(text: string, now: number): Parsed<Date> {
  const value = text.trim()
  const age = parseDuration(value)
  if (age.ok) return parsed(new Date(now - age.value))
  if (DATE_OR_TIME.test(value)) {
    const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value)
    if (!Number.isNaN(date.getTime()) && isCalendarDate(value.slice(0, 10))) return parsed(date)
  }
  return problem(
    `expected a date (2024-01-31 or 2024-01-31T12:00:00Z) or an age like 30d, got "${logText(value)}"`
  )
}
