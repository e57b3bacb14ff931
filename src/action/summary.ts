/**
 * Job-summary Markdown. Every cell, and every outside text in a sentence, is escaped with
 * markdownText (a token name may hold `|`, a link, an image or HTML); long tables are cut at a row
 * limit (callers sort the problems first), because the runner caps a step summary at 1 MiB and the
 * full lists are in the JSON outputs anyway.
 */
import { markdownText } from '../text/markdown-text.js'

export { markdownCode, markdownText } from '../text/markdown-text.js'

const SUMMARY_ROW_LIMIT = 500

/** The older name, kept for the call sites that use it: the same escaping as markdownText. */
export const escapeCell = markdownText

/**
 * A message of ours that may span lines (an input error lists one problem a line), its outside
 * parts already shown through logText: each line escaped, the lines kept apart with `<br>`.
 */
export function markdownLines(text: string): string {
  return text.split(/\r?\n/u).map(markdownText).join('<br>')
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
