import type { FastlyTokensClientOptions } from '../client/index.js'
import { isTerminal, readHidden, type TerminalInput } from './hidden-input.js'

/** A stream the CLI writes to: process.stdout/stderr, or a test's collector. */
export interface CliOutput {
  write(chunk: string): unknown
  /** True when a terminal is attached (the progress line redraws itself then). */
  isTTY?: boolean
}

/** Everything the CLI touches outside itself, so that it runs in-process in tests. */
export interface CliIo {
  env: Record<string, string | undefined>
  stdout: CliOutput
  stderr: CliOutput
  /** Read for `--value -`, `--ids-file -` and `--password -`; a terminal is read without echo. */
  stdin?: TerminalInput
  /** Clock and sleep for rate-limit waits (default Date.now and a timer). */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  /**
   * Subscribes to SIGINT/SIGTERM (bin.ts wires the process's; tests call the handler themselves).
   * Returns the unsubscribe. Without it a run cannot be interrupted gracefully.
   */
  onInterrupt?: (handler: (signal: string) => void) => () => void
  /** Extra client settings (a test's retry policy, a dispatcher). Never credentials. */
  clientOptions?: Omit<FastlyTokensClientOptions, 'apiToken' | 'baseUrl' | 'env'>
}

/** At most this much is read from stdin: ids and values are short, a runaway pipe is not. */
const STDIN_LIMIT = 4 * 1024 * 1024

export async function readStdin(io: CliIo, what: string): Promise<string> {
  if (!io.stdin) return ''
  let text = ''
  for await (const chunk of io.stdin) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8')
    if (text.length > STDIN_LIMIT) throw new RangeError(`${what}: standard input is larger than 4 MiB`)
  }
  return text
}

/**
 * A secret from stdin: from a pipe or a file as it comes, from a terminal without echo, as a
 * password prompt reads it (see hidden-input.ts). Lines joined with newlines either way.
 */
export async function readSecretStdin(
  io: CliIo,
  what: string,
  words: { ask: string; multiple: boolean }
): Promise<string> {
  if (isTerminal(io.stdin)) return (await readHidden(io.stdin, io.stderr, words)).join('\n')
  return readStdin(io, what)
}
