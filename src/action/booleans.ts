/**
 * Boolean inputs follow the YAML 1.2 core schema, as `core.getBooleanInput` does:
 * true | True | TRUE | false | False | FALSE. `yes`/`on` are refused rather than guessed, so a typo
 * in `revoke:` can never silently keep a token alive.
 */

const TRUE = new Set(['true', 'True', 'TRUE'])
const FALSE = new Set(['false', 'False', 'FALSE'])

/** undefined when the text is not a YAML 1.2 core boolean. */
export function parseBoolean(text: string): boolean | undefined {
  if (TRUE.has(text)) return true
  if (FALSE.has(text)) return false
  return undefined
}
