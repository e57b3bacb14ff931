/**
 * The runner's file protocol: GITHUB_OUTPUT, GITHUB_STATE and GITHUB_ENV each take
 * `name<<delimiter` blocks, read by the runner when the step ends. A random delimiter that
 * appears in neither the name nor the value makes any value (multi-line, JSON) safe to pass.
 */
import { appendFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { EOL } from 'node:os'

export function formatFileCommand(
  name: string,
  value: string,
  delimiter = `ghadelimiter_${randomUUID()}`
): string {
  if (name.includes(delimiter) || value.includes(delimiter)) {
    // Cannot happen with a fresh UUID; refusing beats writing a block the runner would misread.
    throw new Error(`the value of ${name} contains the file-command delimiter`)
  }
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`
}

export function appendFileCommand(file: string, name: string, value: string): void {
  appendFileSync(file, formatFileCommand(name, value), { encoding: 'utf8' })
}
