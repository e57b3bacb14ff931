/**
 * An expired token's 401 says so: `Token <id> expired at <time>` (reference §5.1). Reports name
 * it "expired" rather than a bare "unauthorized", since the fix differs (mint a new token, not
 * check the value); this reads the id and the time out of a failure, when it is one.
 */
import { FastlyApiError } from '../http/errors.js'

const EXPIRED = /\bToken ([A-Za-z0-9]{16,24}) expired at (\S+?)\.?$/

export interface ExpiredToken {
  tokenId: string
  /** The time as the API wrote it. */
  expiredAt: string
}

export function expiredTokenOf(error: unknown): ExpiredToken | undefined {
  if (!(error instanceof FastlyApiError) || error.status !== 401) return undefined
  for (const text of [error.apiMessage, error.detail]) {
    const match = EXPIRED.exec(text ?? '')
    if (match) return { tokenId: match[1]!, expiredAt: match[2]! }
  }
  return undefined
}
