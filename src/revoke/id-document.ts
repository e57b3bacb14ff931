/**
 * What an id file may hold, beyond ids separated by blanks, commas and newlines:
 * - `#` comments (to the end of the line) and blank lines, as in a runbook's list;
 * - JSON: an array of ids, an array of objects with an `id` (the API's own lists, `list --json`),
 *   or the CLI's own `--json` report (`outcomes`, each with an `id` where known). Several JSON
 *   documents one after the other count as one list, so the output of two audits concatenated
 *   is their union: `{ fastly-tokens audit A --json; fastly-tokens audit B --json; } |
 *   fastly-tokens revoke --ids-file -`.
 * Everything is scanned with loops, never recursion or argument spreading, so the size of a file
 * is bounded by the reader's cap alone.
 */
import { isWellFormedTokenId, parseTokenIdList, type TokenIdList } from './ids.js'

/** Refused JSON: the message says where, never what (the file may hold secrets). */
export class IdDocumentError extends Error {
  override name = 'IdDocumentError'
}

/** Is this text meant as JSON? Its first character that is not blank or a comment line says so. */
function looksLikeJson(text: string): boolean {
  const first = /^(?:\s|#[^\n]*\n)*([[{])/.exec(text)
  return first !== null
}

/** `#` to the end of the line goes; token ids never hold one (JSON strings may, so not there). */
export function withoutComments(text: string): string {
  return text.replace(/#[^\n]*/g, '')
}

/**
 * Splits concatenated JSON documents (`{...}{...}` or `[...]\n[...]`): where each top-level value
 * ends, tracking strings and nesting with a counter rather than a parser's recursion.
 */
function splitJsonDocuments(text: string): string[] {
  const documents: string[] = []
  let depth = 0
  let start = -1
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
      continue
    }
    if (c === '#' && depth === 0) {
      // A comment between documents (a label for each audit in a union), to the end of the line.
      const end = text.indexOf('\n', i)
      i = end === -1 ? text.length : end
    } else if (c === '"') inString = true
    else if (c === '[' || c === '{') {
      if (depth === 0) start = i
      depth++
    } else if (c === ']' || c === '}') {
      depth--
      if (depth < 0) throw new IdDocumentError(`not valid JSON: an unmatched "${c}" at character ${i + 1}`)
      if (depth === 0) documents.push(text.slice(start, i + 1))
    } else if (depth === 0 && !/\s/.test(c!)) {
      throw new IdDocumentError(
        `not valid JSON: text outside a JSON array or object at character ${i + 1} (mix no plain ids with JSON)`
      )
    }
  }
  if (depth !== 0 || inString) throw new IdDocumentError('not valid JSON: it ends inside an array or object')
  return documents
}

/** The ids an entry of a JSON list stands for: an id string, or an object carrying one. */
function entryId(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry
  if (entry !== null && typeof entry === 'object' && typeof (entry as { id?: unknown }).id === 'string') {
    return (entry as { id: string }).id
  }
  return undefined
}

/** The list inside one document: an array itself, or the array under a key our outputs use. */
function listOf(document: unknown): unknown[] | undefined {
  if (Array.isArray(document)) return document
  if (document === null || typeof document !== 'object') return undefined
  // The CLI's report (`outcomes`), the API's paginated lists (`data`), the audit's older shape.
  for (const key of ['outcomes', 'data', 'matches'] as const) {
    const list = (document as Record<string, unknown>)[key]
    if (Array.isArray(list)) return list
  }
  if (typeof (document as { id?: unknown }).id === 'string') return [document]
  return undefined
}

interface JsonIds {
  entries: string[]
  /** Array entries that name no id (a number, an object without `id`): counted, never shown. */
  unusable: number
}

function idsFromJson(text: string): JsonIds {
  const entries: string[] = []
  let unusable = 0
  const documents = splitJsonDocuments(text)
  for (const [n, source] of documents.entries()) {
    let document: unknown
    try {
      document = JSON.parse(source)
    } catch {
      throw new IdDocumentError(`not valid JSON (document ${n + 1})`)
    }
    const list = listOf(document)
    if (list === undefined) {
      throw new IdDocumentError(
        `JSON document ${n + 1} is neither an array nor an object with "outcomes", "data" or "matches"`
      )
    }
    for (const entry of list) {
      const id = entryId(entry)
      // A values report names values whose token was never identified by position only: no id.
      if (id === undefined) {
        if (!(entry !== null && typeof entry === 'object' && 'position' in entry)) unusable++
      } else entries.push(id)
    }
  }
  return { entries, unusable }
}

export interface IdDocument extends TokenIdList {
  /** Entries of a JSON list that name no id at all. */
  unusable: number
}

/** The ids of an id file's text, whichever of the forms above it takes. */
export function parseIdDocument(text: string): IdDocument {
  if (!looksLikeJson(text)) return { ...parseTokenIdList(withoutComments(text)), unusable: 0 }
  const { entries, unusable } = idsFromJson(text)
  // Each JSON string is one entry: an id with a blank or a comma inside is malformed, not split.
  const ids: string[] = []
  const malformed: string[] = []
  const seen = new Set<string>()
  for (const raw of entries) {
    const entry = raw.trim()
    if (entry === '' || seen.has(entry)) continue
    seen.add(entry)
    ;(isWellFormedTokenId(entry) ? ids : malformed).push(entry)
  }
  return { ids, malformed, unusable }
}
