/** Plain-text columns for a terminal: padded to the widest cell, the last column left ragged. */
export function formatTable(header: string[], rows: string[][]): string {
  // A fold, not Math.max(...cells): an audit of 100k tokens would overflow the stack.
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? '').length), h.length))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n') + '\n'
}
