/**
 * The "no forged command" scanner every end-to-end run ends with, next to the leak scanner. It
 * reads a step's stdout as the Actions runner does (actions/runner ActionCommand): a line ends at
 * CR, LF or CRLF; a line is a `::name props::data` command when, after leading blanks, it starts
 * with `::` and holds a second `::`; and the legacy `##[name]` form counts anywhere in a line.
 *
 * Stricter than the runner on purpose, so that a runner that matches differently (culture-aware
 * string comparison skips invisible characters) is covered too: invisible format characters are
 * dropped before the checks, any command name counts (not only the ones the runner registers
 * today), and any `##[` is a finding (our code never prints one).
 *
 * Allowed are exactly the commands the steps emit through @actions/core, in the exact shape it
 * writes them (no leading blanks, a known name): add-mask, debug, warning, error, notice, group,
 * endgroup. Their data and properties are unescaped as the runner does and checked line by line
 * for a forged piece too, since the runner shows them in the log. add-mask's data is a secret,
 * never shown, so it is not read. A raw control character (an escape sequence for a terminal) in
 * any line is a finding as well.
 */

/**
 * The word the tests' planted commands carry in their name or properties (`::error
 * title=FORGED::…`). A forged `::error::` line looks like one core.error wrote, so for the allowed
 * commands the mark is how the scan tells a planted one from ours: our code never writes it there.
 */
export const PLANTED_MARK = 'FORGED'

/** Commands our steps emit (via @actions/core), and whether their data is shown in the log. */
const EMITTED: Record<string, { shown: boolean }> = {
  'add-mask': { shown: false },
  debug: { shown: true },
  warning: { shown: true },
  error: { shown: true },
  notice: { shown: true },
  group: { shown: true },
  endgroup: { shown: true }
}

/** .NET's Char.IsWhiteSpace, which the runner's TrimStart uses, plus invisible format characters. */
const LEADING_BLANKS = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\p{Cf}]*/u
const INVISIBLE = /[\p{Cf}\0]/gu
/** Controls a terminal or the log viewer acts on (TAB is plain text). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/u

export interface ParsedCommand {
  name: string
  properties: Record<string, string>
  data: string
}

function unescapeData(text: string): string {
  return text.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%')
}

function unescapeProperty(text: string): string {
  return unescapeData(text.replaceAll('%3A', ':').replaceAll('%2C', ','))
}

/**
 * The `::name props::data` reading of one line, as the runner's TryParseV2 does it but for any
 * name; undefined when the line has no such shape.
 */
export function parseCommandLine(line: string): ParsedCommand | undefined {
  const trimmed = line.replace(INVISIBLE, '').replace(LEADING_BLANKS, '')
  if (!trimmed.startsWith('::')) return undefined
  const end = trimmed.indexOf('::', 2)
  if (end < 0) return undefined
  const info = trimmed.slice(2, end)
  const space = info.indexOf(' ')
  const name = space < 0 ? info : info.slice(0, space)
  const properties: Record<string, string> = {}
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .trim()
      .split(',')
      .filter(Boolean)) {
      const eq = pair.indexOf('=')
      if (eq > 0) properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1))
    }
  }
  return { name, properties, data: unescapeData(trimmed.slice(end + 2)) }
}

/** A legacy `##[...` anywhere in the line (invisible characters skipped, as a culture-aware match would). */
export function holdsLegacyCommand(line: string): boolean {
  return line.replace(INVISIBLE, '').includes('##[')
}

/** The runner's line split: CR, LF and CRLF all end a line. */
export function runnerLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/u)
}

/** Why a piece of text that the log shows as plain lines would forge something, or undefined. */
function forgedIn(text: string): string | undefined {
  for (const line of runnerLines(text)) {
    if (holdsLegacyCommand(line)) return 'holds ##['
    if (parseCommandLine(line)) return 'holds a line that starts a :: command'
    if (RAW_CONTROL.test(line)) return 'holds a raw control character'
  }
  return undefined
}

/**
 * Every line of a step's stdout that the runner would read as a command our code did not emit,
 * or that smuggles one (or a terminal escape) inside an allowed command; empty when clean.
 */
export function findForgedCommands(stdout: string): string[] {
  const findings: string[] = []
  runnerLines(stdout).forEach((line, index) => {
    const where = `stdout line ${index + 1}`
    const excerpt = JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}…` : line)
    const command = parseCommandLine(line)
    if (command === undefined) {
      const why = forgedIn(line)
      if (why) findings.push(`${where} ${why}: ${excerpt}`)
      return
    }
    const emitted = EMITTED[command.name]
    const info = line.slice(0, line.indexOf('::', line.indexOf('::') + 2))
    if (!emitted || !line.startsWith(`::${command.name}`) || info.includes(PLANTED_MARK)) {
      findings.push(`${where} is a command our code does not emit: ${excerpt}`)
      return
    }
    if (!emitted.shown) return
    const why = [command.data, ...Object.values(command.properties)].map(forgedIn).find(Boolean)
    if (why) findings.push(`${where}: the ${command.name} command's text ${why}: ${excerpt}`)
  })
  return findings
}

/** The same scan for a program's plain output (the CLI's stdout or stderr, no command allowed). */
export function findForgedLines(output: string): string[] {
  const findings: string[] = []
  runnerLines(output).forEach((line, index) => {
    const why = forgedIn(line)
    if (why) findings.push(`line ${index + 1} ${why}: ${JSON.stringify(line.slice(0, 200))}`)
  })
  return findings
}
