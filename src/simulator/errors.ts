import { STATUS_CODES } from 'node:http'
import type { Answer } from './answer.js'
import { jsonAnswer } from './answer.js'
import type { TwoFactorShape } from './options.js'

/**
 * The API's error answers. Messages are the ones seen from the real API or its official docs
 * (see the list of choices in docs/simulator.md); `detail` explains the particular refusal and never
 * contains a credential.
 */
export const MESSAGES = {
  unauthorized: 'Provided credentials are missing or invalid',
  forbidden: 'You are not authorized to perform this action',
  sudoNeeded: 'You must POST /sudo to access this endpoint',
  readOnly: 'Read only tokens are not allowed to access this endpoint.',
  tokenLookupFailed: 'Token lookup failed.',
  recordNotFound: 'Record not found',
  badRequest: 'Bad request',
  bulkLimit: 'Bulk revoke limit exceeded',
  expiresAtFormat: 'The format of the date and time supplied to the `expires_at` parameter is invalid.',
  rateLimited:
    'You have exceeded your hourly rate limit. Please contact support@fastly.com if you think this is a mistake.',
  payloadTooLarge: 'Payload too large'
} as const

/** The legacy Fastly error body, `{"msg": ..., "detail": ...}`. */
export function legacyError(status: number, msg: string, detail?: string): Answer {
  return jsonAnswer(status, detail === undefined ? { msg } : { msg, detail })
}

export function unauthorized(detail: string): Answer {
  return legacyError(401, MESSAGES.unauthorized, detail)
}

export function forbidden(detail: string): Answer {
  return legacyError(403, MESSAGES.forbidden, detail)
}

export function readOnlyRefused(): Answer {
  return legacyError(403, MESSAGES.readOnly)
}

export function badRequest(detail: string): Answer {
  return legacyError(400, MESSAGES.badRequest, detail)
}

export function tokenNotFound(detail: string): Answer {
  return legacyError(404, MESSAGES.tokenLookupFailed, detail)
}

/** The documented 429 body, exactly. */
export function rateLimited(): Answer {
  return jsonAnswer(429, { msg: MESSAGES.rateLimited })
}

export function serverFault(status: number): Answer {
  return legacyError(status, STATUS_CODES[status] ?? 'Server error', 'Injected by the simulator fault rules.')
}

/** The OAuth-style codes of the spec's 400 answer to POST /tokens. */
export type GrantErrorCode = '2fa.verify' | 'invalid_grant' | 'invalid_request' | 'invalid_scope'

/**
 * A refused token grant (POST /tokens), in whichever of the three documented shapes the
 * simulator is set to send. The 2FA challenge is one of these, so a client that recognises
 * `2fa.verify` in a shape recognises the other grant errors the same way.
 */
export function grantError(shape: TwoFactorShape, code: GrantErrorCode, description: string): Answer {
  switch (shape) {
    case 'code':
      return jsonAnswer(400, { code })
    case 'nested':
      return jsonAnswer(400, { msg: { error: code, error_description: description } })
    case 'msg':
      return jsonAnswer(400, { msg: code, detail: description })
  }
}
