/**
 * The ids of `revoke --id/--ids-file`: inline ids, then each file (or stdin for `-`) through the
 * module's reader, as one list. Refused before any request: an unreadable file, JSON that is not
 * an id list, an entry that may be a token value (never printed), and a list that is mostly not
 * ids (a log pasted by mistake), summarised by count and a short excerpt, never the whole file.
 */
import {
  entriesLook,
  IdDocumentError,
  IdFileError,
  malformedProblem,
  parseIdDocument,
  parseTokenIdList,
  readIdFileSync,
  readIdStream,
  type IdDocument
} from '../revoke/index.js'
import type { CommandContext } from './context.js'
import { UsageError } from './exit-codes.js'

async function readDocument(
  ctx: CommandContext,
  file: string,
  onText?: (text: string) => void
): Promise<IdDocument> {
  try {
    const text = file === '-' ? await readIdStream(ctx.io.stdin ?? []) : readIdFileSync(file)
    onText?.(text)
    return parseIdDocument(text)
  } catch (error) {
    if (error instanceof IdFileError || error instanceof IdDocumentError) {
      const hint =
        error instanceof IdFileError && /pipe|device/.test(error.message)
          ? ' (to read a pipe, give --ids-file - and pipe it to standard input)'
          : ''
      throw new UsageError(`--ids-file${file === '-' ? ' -' : ''}: ${error.message}${hint}`)
    }
    throw error
  }
}

export async function readIds(
  ctx: CommandContext,
  inline: readonly string[] | undefined,
  files: readonly string[] | undefined,
  /** Sees each file's text (the left-file's bulk-cap hint is read from it). */
  onText?: (text: string) => void
): Promise<string[]> {
  const ids = new Set<string>()
  const malformed = new Set<string>()
  let unusable = 0
  const add = (list: IdDocument): void => {
    for (const id of list.ids) ids.add(id)
    for (const entry of list.malformed) malformed.add(entry)
    unusable += list.unusable
  }
  add({ ...parseTokenIdList((inline ?? []).join('\n')), unusable: 0 })
  for (const file of files ?? []) add(await readDocument(ctx, file, onText))

  // A token value pasted where ids go, in any wrapping: refuse it rather than print it back.
  const problem = malformedProblem([...malformed])
  if (problem?.kind === 'value-like') {
    throw new UsageError(
      `${entriesLook(problem.count)} like a token value, not an id (not printed); revoke values with --value -`
    )
  }
  if (problem?.kind === 'not-ids') {
    throw new UsageError(
      `${problem.count} entries are not token ids (${problem.summary}); ` +
        'is this an id file? Ids are 16 to 24 letters and digits; # starts a comment'
    )
  }
  if (unusable > 0)
    ctx.note(`note: ${unusable} JSON entr${unusable === 1 ? 'y names' : 'ies name'} no id; skipped`)
  if (ids.size + malformed.size === 0) throw new UsageError('no token ids given')
  return [...ids, ...malformed]
}
