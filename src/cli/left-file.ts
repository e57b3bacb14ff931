import { writeFile } from 'node:fs/promises'

/**
 * The left-file: what a run did not finish, for the next run to pick up. For ids, the ids one per
 * line, readable as `--ids-file` (comment lines are skipped). For leaked values, their 1-based
 * positions in the input, never the values: the file may end up in a ticket or a CI artifact.
 * The bulk size the server accepted is kept as a comment, so that a resume starts at the learned
 * cap instead of paying refused writes to learn it again.
 */

const CAP_LINE = /^#\s*bulk-cap:\s*(\d{1,5})\s*$/m

export async function writeLeftFile(
  path: string,
  left: { ids: readonly string[] } | { positions: readonly number[] },
  learnedCap: number | undefined
): Promise<void> {
  const lines =
    'ids' in left
      ? ['# fastly-tokens revoke: ids left for a second run (fastly-tokens revoke --ids-file THIS_FILE)']
      : [
          '# fastly-tokens revoke: positions (1-based) of the leaked values left for a second run;',
          '# the values themselves are never written here (fastly-tokens revoke --value - --positions THIS_FILE)'
        ]
  if (learnedCap !== undefined) lines.push(`# bulk-cap: ${learnedCap}`)
  for (const entry of 'ids' in left ? left.ids : left.positions.map(String)) lines.push(entry)
  await writeFile(path, `${lines.join('\n')}\n`, { mode: 0o600 })
}

/** The learned bulk size a left-file carries, if any: a first chunk size for the resume. */
export function capHintIn(text: string): number | undefined {
  const match = CAP_LINE.exec(text)
  if (!match) return undefined
  const cap = Number(match[1])
  return cap >= 1 && cap <= 10_000 ? cap : undefined
}

/** The positions of a values left-file (or any list of 1-based positions, one per line). */
export function positionsIn(text: string): number[] | { problem: string } {
  const positions: number[] = []
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    if (!/^\d{1,7}$/.test(line) || Number(line) < 1) {
      return { problem: `line ${n + 1}: expected a value position (1, 2, ...), one per line` }
    }
    positions.push(Number(line))
  }
  return positions
}
