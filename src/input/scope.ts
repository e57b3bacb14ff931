/**
 * Token scopes: the four the API documents, one or several (the API takes them space-delimited).
 * The default everywhere is the least privilege, `global:read`.
 */
import { splitList } from './list.js'
import { parsed, problem, type Parsed } from './parsed.js'
import { logText } from '../text/log-text.js'

export const SCOPE_NAMES = ['global', 'purge_select', 'purge_all', 'global:read'] as const
export const DEFAULT_SCOPE = 'global:read'

/** The scopes named, each once in the order given, space-delimited as the API wants them. */
export function parseScope(text: string): Parsed<string> {
  const names = splitList(text)
  if (names.length === 0) return problem(`it is empty; expected ${SCOPE_NAMES.join(', ')}`)
  const unknown = names.filter(n => !(SCOPE_NAMES as readonly string[]).includes(n))
  if (unknown.length > 0) {
    return problem(
      `unknown scope ${unknown.map(u => `"${logText(u)}"`).join(', ')}; expected ${SCOPE_NAMES.join(', ')}`
    )
  }
  return parsed(names.join(' '))
}
