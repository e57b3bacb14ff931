import type { CreatedToken, Token } from '../types.js'
import { shapeField } from '../http/api-failure.js'
import { FastlyApiError } from '../http/errors.js'
import type { ApiAnswer } from '../http/transport.js'

/** Which call an answer belongs to, for the error message. */
interface Call {
  method: string
  path: string
}

function invalid(req: Call, answer: ApiAnswer, expected: string): FastlyApiError {
  // The body is not quoted: a malformed create answer could still hold an access token.
  return new FastlyApiError(
    `Fastly API ${req.method} ${req.path} answered ${answer.status} but the body is not ${expected}`,
    {
      status: answer.status,
      method: req.method,
      path: req.path,
      code: 'invalid_response',
      attempts: answer.attempts,
      // HTML, text or JSON of another shape is another server; JSON cut short is the API's, damaged.
      ...shapeField(cutJson(answer.body) ? undefined : false)
    }
  )
}

/** JSON that starts but does not parse: a body cut short in transit, not another server's page. */
function cutJson(body: string): boolean {
  if (!/^\s*[{[]/.test(body)) return false
  try {
    JSON.parse(body)
    return false
  } catch {
    return true
  }
}

function parse(req: Call, answer: ApiAnswer, expected: string): unknown {
  try {
    return JSON.parse(answer.body)
  } catch {
    throw invalid(req, answer, expected)
  }
}

function isTokenLike(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as Token).id === 'string'
  )
}

/**
 * Responses are passed on as the API wrote them (its own field names, nulls and extra fields such
 * as `customer_id`, `scopes` and `sudo_expires_at`); only the shape that callers depend on is
 * checked, so a proxy's HTML page or a truncated body fails here, not later in the caller.
 */
export function readToken(req: Call, answer: ApiAnswer): Token {
  const body = parse(req, answer, 'a token (a JSON object with an id)')
  if (!isTokenLike(body)) throw invalid(req, answer, 'a token (a JSON object with an id)')
  return body as unknown as Token
}

export function readTokenList(req: Call, answer: ApiAnswer): Token[] {
  const body = parse(req, answer, 'a JSON array of tokens')
  if (!Array.isArray(body) || !body.every(isTokenLike)) throw invalid(req, answer, 'a JSON array of tokens')
  return body as unknown as Token[]
}

export function readCreatedToken(req: Call, answer: ApiAnswer): CreatedToken {
  const expected = 'a created token (a JSON object with an id and an access_token)'
  const body = parse(req, answer, expected)
  if (!isTokenLike(body) || typeof body.access_token !== 'string' || body.access_token === '') {
    throw invalid(req, answer, expected)
  }
  return body as unknown as CreatedToken
}
