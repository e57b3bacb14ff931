/**
 * Parsing what people type, shared by the action's inputs and the CLI's flags so both accept the
 * same things: pure functions, no I/O, no @actions/* (eslint enforces it). Each returns a Parsed
 * result whose problem names no input, so each front end words the error with its own name.
 */
export { parsed, problem, type Parsed } from './parsed.js'
export { splitList } from './list.js'
export { formatDuration, parseDuration } from './duration.js'
export { parseDateOrAge } from './date.js'
export { DEFAULT_SCOPE, SCOPE_NAMES, parseScope } from './scope.js'
export { parseServices } from './services.js'
export { parseCustomerId } from './customer-id.js'
export { MAX_DAYS, parseDayCount } from './day-count.js'
export { parseOneTimeCode } from './one-time-code.js'
export {
  TOKEN_VALUE_LENGTH,
  TOKEN_VALUE_PATTERN,
  cleanPastedValue,
  hasTokenValueShape,
  looksLikeTokenValue,
  tokenValuesIn,
  type CleanedValue
} from './token-value.js'
