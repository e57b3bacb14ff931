/**
 * A reader that stops early (`fastly-tokens list | head -1`) closes the pipe, and the next write
 * fails with EPIPE, which Node raises as an unhandled 'error' event: a stack trace where the user
 * asked for one line. The reader has what it wanted, so the rest of the output is dropped
 * quietly and the command finishes its work and exits with its own code (a revocation that was
 * piped into `head` still writes its left-file). Any other write error is still an error.
 */
import type { CliOutput } from './io.js'

interface WritableLike {
  write(chunk: string): unknown
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown
  isTTY?: boolean
}

export function quietOnClosedPipe(stream: WritableLike): CliOutput {
  let closed = false
  stream.on('error', error => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') closed = true
    else throw error
  })
  return {
    write: (chunk: string) => (closed ? false : stream.write(chunk)),
    get isTTY() {
      return stream.isTTY === true
    }
  }
}
