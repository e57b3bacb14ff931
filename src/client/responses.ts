import type { AutomationToken, CreatedToken, Token } from '../types.js'
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
      fastlyShaped: false
    }
  )
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

/** One page of GET /automation-tokens: `{data: [...], meta: {total_pages, ...}}`, as recorded. */
export function readAutomationPage(
  req: Call,
  answer: ApiAnswer
): { data: AutomationToken[]; totalPages: number } {
  const expected = 'a page of automation tokens ({"data": [...], "meta": {...}})'
  const body = parse(req, answer, expected) as { data?: unknown; meta?: { total_pages?: unknown } }
  if (
    body === null ||
    typeof body !== 'object' ||
    !Array.isArray(body.data) ||
    !body.data.every(isTokenLike)
  ) {
    throw invalid(req, answer, expected)
  }
  const pages = body.meta?.total_pages
  return {
    data: body.data as unknown as AutomationToken[],
    totalPages: typeof pages === 'number' && Number.isSafeInteger(pages) && pages > 0 ? pages : 1
  }
}

export function readAutomationToken(req: Call, answer: ApiAnswer): AutomationToken {
  const body = parse(req, answer, 'an automation token (a JSON object with an id)')
  if (!isTokenLike(body)) throw invalid(req, answer, 'an automation token (a JSON object with an id)')
  return body as unknown as AutomationToken
}

export function readCreatedAutomationToken(
  req: Call,
  answer: ApiAnswer
): AutomationToken & { access_token: string } {
  const expected = 'a created automation token (a JSON object with an id and an access_token)'
  const body = parse(req, answer, expected)
  if (!isTokenLike(body) || typeof body.access_token !== 'string' || body.access_token === '') {
    throw invalid(req, answer, expected)
  }
  return body as unknown as AutomationToken & { access_token: string }
}
