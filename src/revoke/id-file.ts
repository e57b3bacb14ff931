/**
 * Reading an id file, the same way for the CLI's `--ids-file` and the action's
 * `revoke-token-ids-file`: a bounded read of a regular file, or of a stream the caller chose
 * (stdin for `--ids-file -`). A device (/dev/zero, /dev/stdin of a terminal), a FIFO or a
 * directory is refused before a byte is read, so a wrong path can neither hang the run nor fill
 * its memory. Errors name what went wrong but never the path: a path argument is where a secret
 * pasted in a hurry lands, and the front end names the input.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs'

/**
 * The most an id file may hold. 100,000 ids one per line take 2.3 MB, and as the CLI's compact
 * JSON about 4 MB, so 8 MiB leaves room; a 10 MB log pasted by mistake is refused with this.
 */
export const MAX_ID_FILE_BYTES = 8 * 1024 * 1024

/** A refusal to read an id file; the message names neither the input nor the path. */
export class IdFileError extends Error {
  override name = 'IdFileError'
}

function kindOf(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined
  if (stats.isDirectory()) return 'a directory'
  if (stats.isFIFO()) return 'a pipe (FIFO)'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  if (stats.isSocket()) return 'a socket'
  return 'not a regular file'
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
}

function tooBig(size: string, maxBytes: number): IdFileError {
  return new IdFileError(
    `${size}, over the ${megabytes(maxBytes)} an id file may hold (about 350,000 ids one per line); ` +
      'split it, or pass only the ids'
  )
}

const ERRNO_WORDS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
  EISDIR: 'a directory'
}

/** An operating-system failure in words, without the path Node puts in its own message. */
function describeErrno(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  return code === undefined ? 'cannot be read' : `${ERRNO_WORDS[code] ?? 'cannot be read'} (${code})`
}

/** Bytes as text: UTF-8, a leading byte-order mark dropped (editors on Windows add one). */
function decode(bytes: Buffer): string {
  return bytes.toString('utf8').replace(/^\uFEFF/, '')
}

/**
 * The text of a regular file of at most `maxBytes`. Opened non-blocking, so that a FIFO without
 * a writer is seen for what it is instead of blocking the open; the size is checked both from
 * the file's metadata and while reading, since a file can grow in between.
 */
export function readIdFileSync(path: string, maxBytes = MAX_ID_FILE_BYTES): string {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    throw new IdFileError(`${describeErrno(error)}; the path is not printed, in case it is a secret`)
  }
  try {
    const stats = fstatSync(fd)
    const kind = kindOf(stats)
    if (kind !== undefined) throw new IdFileError(`${kind}, not a regular file of token ids`)
    if (stats.size > maxBytes) throw tooBig(megabytes(stats.size), maxBytes)
    const buffer = Buffer.alloc(Math.min(stats.size, maxBytes) + 1)
    let length = 0
    for (;;) {
      if (length === buffer.length) throw tooBig('larger than it said', maxBytes)
      const n = readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0) break
      length += n
      if (length > maxBytes) throw tooBig('grew while read', maxBytes)
    }
    return decode(buffer.subarray(0, length))
  } catch (error) {
    if (error instanceof IdFileError) throw error
    throw new IdFileError(describeErrno(error))
  } finally {
    closeSync(fd)
  }
}

/** The text of a stream (stdin for `-`), stopped as soon as it passes `maxBytes`. */
export async function readIdStream(
  stream: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
  maxBytes = MAX_ID_FILE_BYTES
): Promise<string> {
  const chunks: Buffer[] = []
  let length = 0
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
    length += bytes.length
    if (length > maxBytes) throw tooBig('more than that on standard input', maxBytes)
    chunks.push(bytes)
  }
  return decode(Buffer.concat(chunks, length))
}
