/** The incident engine: bulk revocation by id, revocation of leaked values, and the token audit. */
export { parseTokenIdList, isWellFormedTokenId, TOKEN_ID_PATTERN } from './ids.js'
export type { TokenIdList } from './ids.js'
export { revokeMany } from './revoke-many.js'
export type { RevokeManyOptions } from './options.js'
export type { RevokeOutcome, RevokeOutcomeKind, RevokeProgress, RevokeReport } from './report.js'
export { countOutcomes } from './report.js'
export { revokeLeakedValues, revokeValues } from './leaked-values.js'
export type { LeakedValueOutcome, LeakedValuesReport, RevokeLeakedValuesOptions } from './leaked-values.js'
export { EndpointProofError, proveEndpoint } from './endpoint-proof.js'
export { auditTokens, matchesAuditFilter, globToRegExp } from './audit.js'
export type { AuditFilter, AuditOptions, AuditResult } from './audit.js'
export { IdFileError, MAX_ID_FILE_BYTES, readIdFileSync, readIdStream } from './id-file.js'
export { IdDocumentError, parseIdDocument, type IdDocument } from './id-document.js'
export {
  entriesLook,
  entryExcerpt,
  malformedProblem,
  mayHoldTokenValue,
  MOST_MALFORMED_ENTRIES,
  summariseEntries,
  type MalformedProblem
} from './entry-excerpt.js'
export { describeCost, estimateCost, type CostEstimate } from './estimate.js'
