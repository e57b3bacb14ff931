/**
 * The few statistics a benchmark table needs. Medians rather than means: a 2-core machine shared
 * with other work produces outliers in one direction only, and the median ignores them while min
 * and max still show how noisy the machine was.
 */

/** { median, min, max, n } of a list of numbers (the median of an even count is the mean of the middle two). */
export function summarize(samples) {
  if (samples.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 }
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length }
}

/** a / b rounded to two decimals, or null when either side is missing. */
export function ratio(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null
  return Math.round((a / b) * 100) / 100
}

/** Milliseconds for a table: `812 ms`, `1.94 s`, `9 h 0 min`. */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return 'n/a'
  if (ms >= 3_600_000) {
    const h = Math.floor(ms / 3_600_000)
    return `${h} h ${Math.round((ms - h * 3_600_000) / 60_000)} min`
  }
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`
  if (ms >= 10) return `${Math.round(ms)} ms`
  return `${ms.toFixed(1)} ms`
}

/** A summary as `median (min–max)` with the given unit formatter. */
export function formatSummary(summary, format = formatMs) {
  if (summary.n === 0) return 'n/a'
  if (summary.n === 1) return `${format(summary.median)} (1 run)`
  return `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})`
}

export function formatRatio(value) {
  return value === null ? 'n/a' : `${value.toFixed(2)}x`
}

export function formatMiB(kib) {
  return Number.isFinite(kib) ? `${(kib / 1024).toFixed(0)} MiB` : 'n/a'
}

export function formatCount(n) {
  return Number.isFinite(n) ? n.toLocaleString('en-US') : 'n/a'
}

/** Outcomes of an engine report counted by kind, and how many revocations were verified. */
export function tallyOutcomes(outcomes) {
  const tally = {}
  let verified = 0
  for (const o of outcomes) {
    tally[o.outcome] = (tally[o.outcome] ?? 0) + 1
    if (o.outcome === 'revoked' && o.verified === true) verified++
  }
  return { tally, verified }
}
