/**
 * Outside text (API answers, file contents, input entries) made safe for one log line.
 *
 * The Actions runner treats a line as a workflow command when, after leading blanks, it starts
 * with `::name` and holds a second `::`, and it still honours the legacy `##[name]` form anywhere
 * in a line. A terminal acts on escape sequences. So text that did not come from our own code
 * goes through `logText` before it is printed: every control character and line separator is
 * shown escaped (a backslash is doubled, so the escapes stay unambiguous), `##[` is broken
 * wherever it stands, and a leading `::` is broken too. The result is one line that reads as
 * the text it came from and can never start or hold a command, wherever the caller puts it.
 */

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/gu

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

function escapeCharacter(character: string): string {
  const named = NAMED_ESCAPES[character]
  if (named) return named
  const code = character.codePointAt(0) ?? 0
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`
}

export function logText(text: string): string {
  return (
    text
      .replaceAll('\\', '\\\\')
      .replace(UNSAFE_CHARACTER, escapeCharacter)
      // `##[` anywhere: the runner looks for it with IndexOf, not at the line start only.
      .replaceAll('##[', '##\\[')
      // `::` after nothing but blanks: the fragment may be the first thing on its line. Any `:`
      // run is broken, since `:::` also starts with `::`.
      .replace(/^(\s*):(?=:)/u, '$1\\:')
  )
}
