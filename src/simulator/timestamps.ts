/**
 * The API's time formats: RFC 3339 UTC with a `Z` and no fraction in token bodies
 * (`2021-11-02T18:46:13Z`), a `+00:00` offset in the sudo answer (`2021-01-14T11:52:45+00:00`).
 */

export function formatApiTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19) + 'Z'
}

export function formatSudoTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19) + '+00:00'
}

/** The API keeps whole seconds only. */
export function wholeSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/

/**
 * Parses an ISO 8601 / RFC 3339 date-time with an explicit zone (`Z`, `+00:00` or `+0000`), as
 * the docs show for `expires_at`. Returns undefined for anything else, including impossible
 * dates such as February 30th, rather than letting Date roll them over.
 */
export function parseDateTime(text: string): number | undefined {
  const match = DATE_TIME.exec(text.trim())
  if (!match) return undefined
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHours, offsetMinutes] = match
  const fields = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number
  ]
  const [y, mo, d, h, mi, s] = fields
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined
  const local = Date.UTC(y, mo - 1, d, h, mi, s)
  const check = new Date(local)
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return undefined
  const millis = fraction ? Math.floor(Number(fraction) * 1000) : 0
  let offsetMs = 0
  if (!zulu) {
    const oh = Number(offsetHours)
    const om = Number(offsetMinutes)
    if (oh > 23 || om > 59) return undefined
    offsetMs = (sign === '-' ? -1 : 1) * (oh * 60 + om) * 60_000
  }
  return local + millis - offsetMs
}

/** Seeds may give times as Date, epoch milliseconds or a date-time string. */
export function toEpochMs(value: Date | string | number, what: string): number {
  const ms =
    value instanceof Date ? value.getTime() : typeof value === 'number' ? value : parseDateTime(value)
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new TypeError(
      `${what}: expected a Date, epoch milliseconds or an ISO 8601 date-time, got ${String(value)}`
    )
  }
  return ms
}
