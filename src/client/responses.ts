/**
 * Reading the API's answers. Responses are passed on as the API wrote them (its own field names,
 * nulls and extra fields such as `customer_id`, `scopes` and `sudo_expires_at`), but every field
 * callers depend on is type-checked here, so an odd answer (a proxy's HTML page, a truncated body,
 * a number where a name goes) is one clear FastlyApiError at the call, not a TypeError later in
 * the caller. Problems name fields, never values: a create answer could hold an access token.
 */
import type { AutomationToken, CreatedToken, Token } from '../types.js'
import { shapeField } from '../http/api-failure.js'
import { FastlyApiError } from '../http/errors.js'
import type { ApiAnswer } from '../http/transport.js'

/** Which call an answer belongs to, for the error message. */
interface Call {
  method: string
  path: string
}

/** What an API token must be to be sent as `Fastly-Key` (the client's own rule for tokens). */
const USABLE_TOKEN = /^[\x21-\x7e]+$/
/** A token id that can be shown and put in a path: letters and digits, as the API mints them. */
const USABLE_ID = /^[A-Za-z0-9]{8,64}$/

function invalid(req: Call, answer: ApiAnswer, expected: string, problems: string[] = []): FastlyApiError {
  const why = problems.length === 0 ? '' : `: ${problems.join('; ')}`
  return new FastlyApiError(
    `Fastly API ${req.method} ${req.path} answered ${answer.status} but the body is not ${expected}${why}`,
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const isString = (v: unknown): v is string => typeof v === 'string'
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString)

/** The fields of a token record callers read, each with its rule; `optional` ones may be absent. */
const TOKEN_FIELDS: Array<[field: string, ok: (v: unknown) => boolean, expected: string, optional: boolean]> =
  [
    ['id', v => isString(v) && v !== '', 'a non-empty string', false],
    ['name', v => isString(v) || v === null, 'a string', true],
    ['scope', isString, 'a string', true],
    ['services', v => isStringList(v) || v === null, 'a list of strings', true],
    // Strings, not parsed: automation tokens write unset dates as '' (the reference, 5.3).
    ['created_at', v => isString(v) || v === null, 'a string', true],
    ['expires_at', v => isString(v) || v === null, 'a string or null', true]
  ]

function tokenProblems(body: Record<string, unknown>, required: readonly string[] = []): string[] {
  const problems: string[] = []
  for (const [field, ok, expected, optional] of TOKEN_FIELDS) {
    const value = body[field]
    if (value === undefined) {
      if (!optional || required.includes(field)) problems.push(`${field} is missing`)
    } else if (!ok(value)) problems.push(`${field} is not ${expected}`)
  }
  return problems
}

export function readToken(req: Call, answer: ApiAnswer): Token {
  const expected = 'a token (a JSON object with an id)'
  const body = parse(req, answer, expected)
  if (!isObject(body)) throw invalid(req, answer, expected)
  const problems = tokenProblems(body)
  if (problems.length > 0) throw invalid(req, answer, expected, problems)
  return body as unknown as Token
}

export function readTokenList(req: Call, answer: ApiAnswer): Token[] {
  const expected = 'a JSON array of tokens'
  const body = parse(req, answer, expected)
  if (!Array.isArray(body)) throw invalid(req, answer, expected)
  body.forEach((item, index) => {
    if (!isObject(item)) throw invalid(req, answer, expected, [`entry ${index + 1} is not an object`])
    const problems = tokenProblems(item)
    if (problems.length > 0)
      throw invalid(
        req,
        answer,
        expected,
        problems.map(p => `entry ${index + 1}: ${p}`)
      )
  })
  return body as unknown as Token[]
}

/**
 * A create answer that came back 2xx but is not a usable created token: the API minted something,
 * so besides the error the caller gets what identifies it, for revoking it at once.
 */
export interface UnusableCreated {
  error: FastlyApiError
  /** The access token, when it is one that can be sent (then it revokes itself). */
  accessToken?: string
  /** The token id, when it has the form of one (then a credential that may revoke by id can). */
  tokenId?: string
}

export type CreatedReading = { ok: true; token: CreatedToken } | ({ ok: false } & UnusableCreated)

/** Every field of a created token is checked: the caller hands it on to users (outputs, env, state). */
export function readCreatedToken(req: Call, answer: ApiAnswer): CreatedReading {
  const expected = 'a created token (a JSON object with an id and an access_token)'
  let body: unknown
  try {
    body = JSON.parse(answer.body)
  } catch {
    // A body cut short may still have carried a token; nothing in it can be trusted to revoke it.
    return { ok: false, error: invalid(req, answer, expected) }
  }
  if (!isObject(body)) return { ok: false, error: invalid(req, answer, expected) }
  const problems = tokenProblems(body, ['name', 'scope', 'services', 'expires_at'])
  const access = body.access_token
  const accessOk = isString(access) && USABLE_TOKEN.test(access)
  if (access === undefined) problems.push('access_token is missing')
  else if (!accessOk)
    problems.push('access_token is not a single token (printable ASCII without blanks or line breaks)')
  if (problems.length === 0) return { ok: true, token: body as unknown as CreatedToken }
  const id = body.id
  return {
    ok: false,
    error: invalid(req, answer, expected, problems),
    ...(accessOk ? { accessToken: access } : {}),
    ...(isString(id) && USABLE_ID.test(id) ? { tokenId: id } : {})
  }
}

/** One page of GET /automation-tokens: `{data: [...], meta: {total_pages, ...}}`, as recorded. */
/** An automation record: an object with a string id and name (its dates may be ''). */
function isAutomationLike(value: unknown): value is Record<string, unknown> {
  return isObject(value) && isString(value.id) && USABLE_ID.test(value.id) && isString(value.name)
}

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
    !body.data.every(isAutomationLike)
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
  if (!isAutomationLike(body)) throw invalid(req, answer, 'an automation token (a JSON object with an id)')
  return body as unknown as AutomationToken
}

export function readCreatedAutomationToken(
  req: Call,
  answer: ApiAnswer
): AutomationToken & { access_token: string } {
  const expected = 'a created automation token (a JSON object with an id and an access_token)'
  const body = parse(req, answer, expected)
  if (!isAutomationLike(body) || typeof body.access_token !== 'string' || body.access_token === '') {
    throw invalid(req, answer, expected)
  }
  return body as unknown as AutomationToken & { access_token: string }
}
