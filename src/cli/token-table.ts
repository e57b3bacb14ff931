import type { Token } from '../types.js'
import { logText } from '../text/log-text.js'
import { formatTable } from './table.js'

/**
 * Tokens as `list` and `audit` print them: one row each, never a secret (lists carry none). Every
 * cell is the API's text, shown through logText: a name with a line break or an escape sequence
 * cannot fake a row, forge a workflow command or recolour the terminal.
 */
export function formatTokenTable(tokens: readonly Token[]): string {
  return formatTable(
    ['ID', 'TYPE', 'SCOPE', 'CREATED', 'LAST USED', 'EXPIRES', 'NAME'],
    tokens.map(t =>
      [
        t.id,
        t.type ?? 'user',
        t.scope,
        t.created_at,
        t.last_used_at ?? 'never',
        t.expires_at ?? 'never',
        t.name
      ].map(cell => logText(String(cell)))
    )
  )
}
