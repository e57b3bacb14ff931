/**
 * Outside text (API answers, file contents, input entries) made safe for one log line.
 *
 * The Actions runner reads a step's stdout line by line (a line ends at CR, LF or CRLF) and treats
 * a line as a workflow command when, after leading blanks, it starts with `::name` and holds a
 * second `::`; it still honours the legacy `##[name]` form anywhere in a line (it looks for `##[`
 * with IndexOf). The log viewer acts on `##[group]`-style markers, and a terminal acts on escape
 * sequences. So text that did not come from our own code goes through `logText` before it is
 * printed:
 * - every control character (C0, DEL, C1), line and paragraph separator, invisible format character
 *   (zero-width, bidi overrides: they make one name look like another, and a culture-aware string
 *   match skips them) and lone surrogate is shown escaped (`\n`, `\x1b`, `\u202e`); a backslash is
 *   doubled, so the escapes stay unambiguous;
 * - `##[` is broken wherever it stands (`##\[`);
 * - a `:` that is the first thing after blanks is broken (`\:`), so the text cannot start a
 *   `::name::` line even when the caller prints it at a line start, or after another fragment;
 * - a leading `#[` and a trailing `#` are broken too, so no `##[` forms at the seam between two
 *   fragments, or after a caller's own text that ends in `#` ("PR #").
 * The result is one line that reads as the text it came from and can never start or hold a command,
 * wherever the caller puts it (as long as the caller's own words hold no `##[`).
 */

/** C0 and C1 controls and DEL, invisible format characters, lone surrogates, U+2028 and U+2029. */
const UNSAFE_CHARACTER = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu

/** The same minus LF (and TAB): what may not stand in a line of our own multi-line text. */
const UNSAFE_IN_OWN_LINE = /[^\P{Cc}\n\t]|[\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

function escapeCharacter(character: string): string {
  const named = NAMED_ESCAPES[character]
  if (named) return named
  const code = character.codePointAt(0) ?? 0
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`
  return `\\u{${code.toString(16)}}`
}

/**
 * Controls, separators and invisible characters shown as escapes, backslashes doubled: the part
 * of `logText` that makes any text one visible line. The job summary uses it too.
 */
export function escapeControls(text: string): string {
  return text.replaceAll('\\', '\\\\').replace(UNSAFE_CHARACTER, escapeCharacter)
}

/** Breaks every way a one-line text could start or hold a workflow command (see the file comment). */
function defuseCommands(line: string): string {
  return (
    line
      // `##[` anywhere: the runner looks for it with IndexOf, not at the line start only.
      .replaceAll('##[', '##\\[')
      .replace(/^#\[/u, '\\#[')
      .replace(/#$/u, '\\#')
      // A `:` after nothing but blanks: the fragment may be the first thing on its line.
      .replace(/^(\s*):/u, '$1\\:')
  )
}

export function logText(text: string): string {
  return defuseCommands(escapeControls(text))
}

/**
 * The last guard at the output boundary (the action's runner, the CLI's streams), for text that
 * is ours but may hold outside pieces a call site forgot to pass through `logText`. Line breaks
 * stay (our own messages may span lines); in each line a control or invisible character is shown
 * escaped, `##[` is broken, and so is a `::` after leading blanks. A line that is already safe
 * (which every `logText` result is) passes unchanged, backslashes included.
 */
export function guardLines(text: string): string {
  return text
    .replaceAll('\r\n', '\n')
    .split('\n')
    .map(line =>
      line
        .replace(UNSAFE_IN_OWN_LINE, escapeCharacter)
        .replaceAll('##[', '##\\[')
        .replace(/^(\s*):(?=:)/u, '$1\\:')
    )
    .join('\n')
}
