/**
 * Reading a secret typed or pasted at a terminal (`--value -`, `--password -`) the way a password
 * prompt does: the terminal is put in raw mode so nothing is echoed, and the lines are collected
 * here. Enter ends a line; an empty line or Ctrl-D ends the input; Ctrl-C gives up; Backspace
 * takes back a character. The prompt and the count of lines read go to stderr, never a character
 * of what was typed.
 */
import type { CliOutput } from './io.js'

export interface TerminalInput extends AsyncIterable<string | Buffer> {
  isTTY?: boolean
  setRawMode?(raw: boolean): unknown
}

export class PromptCancelled extends Error {
  override name = 'PromptCancelled'
}

const CTRL_C = '\u0003'
const CTRL_D = '\u0004'
const BACKSPACES = new Set(['\u007f', '\b'])

export function isTerminal(input: TerminalInput | undefined): input is TerminalInput & {
  setRawMode(raw: boolean): unknown
} {
  return input?.isTTY === true && typeof input.setRawMode === 'function'
}

/** The lines typed, without echo; `multiple` false ends after the first line. */
export async function readHidden(
  input: TerminalInput & { setRawMode(raw: boolean): unknown },
  prompt: CliOutput,
  words: { ask: string; multiple: boolean }
): Promise<string[]> {
  const lines: string[] = []
  let line = ''
  // Echo off before the prompt shows: whoever sees the prompt and types can no longer be echoed.
  input.setRawMode(true)
  prompt.write(words.ask)
  try {
    for await (const chunk of input) {
      for (const c of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (c === CTRL_C) throw new PromptCancelled('cancelled at the prompt')
        if (c === CTRL_D || ((c === '\r' || c === '\n') && line === '')) {
          if (line !== '') lines.push(line)
          return lines
        }
        if (c === '\r' || c === '\n') {
          lines.push(line)
          line = ''
          if (!words.multiple) return lines
          prompt.write(`\r\n(${lines.length} read; another, or Enter to finish) `)
        } else if (BACKSPACES.has(c)) line = line.slice(0, -1)
        else line += c
      }
    }
    if (line !== '') lines.push(line)
    return lines
  } finally {
    input.setRawMode(false)
    prompt.write('\r\n')
  }
}
