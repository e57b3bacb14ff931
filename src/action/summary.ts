/**
 * Job-summary Markdown. Cells are escaped (a token name may hold `|` or HTML); long tables are cut
 * at a row limit (callers sort the problems first), because the runner caps a step summary at
 * 1 MiB and the full lists are in the JSON outputs anyway.
 */

const SUMMARY_ROW_LIMIT = 500

export function escapeCell(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '\\|')
    .replace(/[\r\n]+/g, ' ')
}

export function markdownTable(headers: string[], rows: string[][], limit = SUMMARY_ROW_LIMIT): string {
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`
  const out = [line(headers), `|${headers.map(() => ' --- ').join('|')}|`, ...rows.slice(0, limit).map(line)]
  if (rows.length > limit)
    out.push('', `… and ${rows.length - limit} more rows (the step outputs list them all).`)
  return out.join('\n') + '\n'
}

export function summarySection(heading: string, body: string): string {
  return `### ${heading}\n\n${body.endsWith('\n') ? body : body + '\n'}\n`
}
