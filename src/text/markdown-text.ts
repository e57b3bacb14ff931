/**
 * Outside text (token names, API messages, ids, dates, input entries) made inert for a job summary,
 * which GitHub renders as GitHub-flavoured Markdown with inline HTML. What a name like
 * `[x](javascript:…)`, `![i](http://…)`, `<img src=…>`, `**bold**` or a bare URL would become
 * there is a link, an image fetched from someone's server, markup, or a table broken in two.
 *
 * `markdownText` returns one line that renders as exactly the text it came from (controls shown
 * escaped as in the log, see escapeControls), whatever Markdown or HTML it held:
 * - `&`, `<` and `>` become HTML entities (no tag, no entity of the input's own);
 * - every other character that starts or ends inline Markdown is backslash-escaped: `\`, backtick,
 *   `*`, `_`, `~` (code, emphasis, strikethrough), `[`, `]` (links and images: with both escaped,
 *   `!` and `(` after them are plain), `|` (table cells), `$` (math) and `@` (e-mail autolinks);
 * - the `:` of `://` and the `.` of `www.` are escaped, so a bare URL does not become a link;
 * - a leading block marker (`#`, `-`, `+`, `=`, `1.` or `1)`, a blank) is escaped, so the text also
 *   stays plain at the start of a line, and a trailing `w` or the `:` of a trailing `:` or `:/` is
 *   escaped, so what the caller writes next cannot complete a bare URL; line breaks cannot occur (they are shown as `\n`).
 * `markdownCode` is the form for an id or a date: a code span when the text is plainly one (so it
 * looks as before), the escaped text otherwise, since nothing can be escaped inside a code span.
 */
import { escapeControls } from './log-text.js'

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' }

/** The inline-Markdown characters that are backslash-escaped wherever they stand. */
const BACKSLASHED = /[\\`*_~[\]|$@]/gu

export function markdownText(text: string): string {
  return (
    escapeControls(text)
      .replace(BACKSLASHED, '\\$&')
      .replace(/[&<>]/gu, c => ENTITIES[c]!)
      // Bare URLs: GFM links `scheme://…` (found from its `:`) and `www.…` (found from its `w`).
      .replaceAll('://', '\\://')
      .replace(/www\./giu, match => `${match.slice(0, 3)}\\.`)
      // A block marker counts at a line start only; the text may be put at one. (A tab is shown
      // as `\t` by escapeControls.)
      .replace(/^[#+=-]/u, '\\$&')
      .replace(/^(\d+)([.)])/u, '$1\\$2')
      .replace(/^ /u, '&#32;')
      // And at the end: what the caller writes next could complete `www.` or `://` from any part
      // of one (`w`, `ww`, `www`; `:`, `:/`), so a last `w` is written as an entity and the `:` of
      // a trailing `:` or `:/` is escaped.
      .replace(/w$/iu, w => `&#${w.charCodeAt(0)};`)
      .replace(/:(\/?)$/u, '\\:$1')
  )
}

/** Ids, scopes and dates as they usually are: nothing in them could end or break a code span. */
const PLAIN_CODE = /^[A-Za-z0-9][A-Za-z0-9.:/+-]*$/u

/** An id or a date as a code span when it is plainly one, else as escaped text (see above). */
export function markdownCode(text: string): string {
  return PLAIN_CODE.test(text) ? `\`${text}\`` : markdownText(text)
}
