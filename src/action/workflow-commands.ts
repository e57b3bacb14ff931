/**
 * The runner's stdout protocol: `::command key=value,key=value::message` lines. The runner reads
 * each line as it is printed, so a line-break inside a message would end the command early and let
 * the rest be read as a new one; that is why data and property values are percent-escaped.
 */

export type CommandProperties = Record<string, string | number | undefined>

/** `%`, CR and LF in a command's message (the runner unescapes them in reverse). */
export function escapeCommandData(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
}

/** Property values also delimit on `:` and `,`. */
export function escapeCommandProperty(value: string): string {
  return escapeCommandData(value).replaceAll(':', '%3A').replaceAll(',', '%2C')
}

export function formatCommand(command: string, message: string, properties: CommandProperties = {}): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${escapeCommandProperty(String(value))}`)
    .join(',')
  return `::${command}${props ? ` ${props}` : ''}::${escapeCommandData(message)}`
}
