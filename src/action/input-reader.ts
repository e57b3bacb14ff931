/**
 * Reading the raw INPUT_* text and collecting what is wrong with it. Every part of the input
 * parsing writes its problems to the same reader, so all of them are reported together and a
 * workflow author fixes them in one round trip. A problem names its input and says what was
 * expected; it never repeats the value of a secret input.
 */
import { parseBoolean } from './booleans.js'

export interface InputProblem {
  input: string
  problem: string
}

export class InputError extends Error {
  readonly problems: InputProblem[]
  constructor(problems: InputProblem[]) {
    const lines = problems.map(p => `input "${p.input}": ${p.problem}`)
    super(lines.length === 1 ? lines[0] : `${lines.length} invalid inputs:\n${lines.join('\n')}`)
    this.name = 'InputError'
    this.problems = problems
  }
}

export interface InputReader {
  /** The input, trimmed; '' when unset. */
  read(name: string): string
  /** The input as given, blanks kept (a password may start or end with one). */
  readRaw(name: string): string
  /** A YAML 1.2 core boolean, `fallback` when unset; anything else is a problem. */
  bool(name: string, fallback: boolean): boolean
  /** Same, but undefined when unset (a filter that is off unless given). */
  optionalBool(name: string): boolean | undefined
  fail(input: string, problem: string): void
  readonly problems: readonly InputProblem[]
}

export function inputReader(
  source: (name: string) => string,
  rawSource: (name: string) => string = source
): InputReader {
  const problems: InputProblem[] = []
  const fail = (input: string, problem: string) => void problems.push({ input, problem })
  const read = (name: string) => source(name).trim()
  const optionalBool = (name: string): boolean | undefined => {
    const text = read(name)
    if (text === '') return undefined
    const value = parseBoolean(text)
    if (value === undefined) fail(name, `expected true or false, got "${text}"`)
    return value
  }
  return {
    read,
    readRaw: rawSource,
    bool: (name, fallback) => optionalBool(name) ?? fallback,
    optionalBool,
    fail,
    problems
  }
}
