import { logText } from '../text/log-text.js'

/**
 * Plain-text columns for a terminal: padded to the widest cell, the last column left ragged. The
 * cells are mostly the API's text (names, ids, dates, reasons), so each is shown through logText:
 * a name with a line break or an escape sequence cannot fake a row or recolour the terminal.
 */
export function formatTable(header: string[], rows: string[][]): string {
  const shown = rows.map(r => r.map(cell => logText(String(cell))))
  const widths = header.map((h, i) => Math.max(h.length, ...shown.map(r => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(header), ...shown.map(line)].join('\n') + '\n'
}
