/**
 * JSON for a terminal or a workflow log. JSON.stringify escapes the C0 controls but leaves `##[`
 * (which the Actions runner reads as a legacy command anywhere in a line), C1 controls (a terminal
 * may act on U+009B as an escape), the line separators and invisible format characters as they
 * are. Each is written as a `\uXXXX` escape instead: the text stays valid JSON with the very same
 * value, and no line of it can start or hold a workflow command (a pretty-printed line starts
 * with blanks and a quote or a bracket, never with `::`).
 */
// LF is left alone: inside strings JSON.stringify has escaped it already, so every LF that is
// left is the indentation's own line break.
const UNSAFE_IN_JSON = /[^\P{Cc}\n]|[\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu

function unicodeEscape(character: string): string {
  // Astral format characters (tags) as their UTF-16 pair, the only way JSON spells them.
  return [...character]
    .flatMap(c => (c.length === 2 ? [c.charCodeAt(0), c.charCodeAt(1)] : [c.charCodeAt(0)]))
    .map(code => `\\u${code.toString(16).padStart(4, '0')}`)
    .join('')
}

export function jsonText(value: unknown, indent = 2): string {
  return (JSON.stringify(value, null, indent) ?? 'null')
    .replace(UNSAFE_IN_JSON, unicodeEscape)
    .replaceAll('##[', '##\\u005b')
}
