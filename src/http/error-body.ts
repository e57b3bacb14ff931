/** What an error answer said, whichever of Fastly's body shapes it used. */
export interface ParsedErrorBody {
  apiMessage?: string
  detail?: string
  code?: string
}

const MAX_FIELD = 500

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value)
  if (typeof value !== 'string') return undefined
  const collapsed = value.replace(/\s+/g, ' ').trim()
  if (collapsed === '') return undefined
  return collapsed.length > MAX_FIELD ? `${collapsed.slice(0, MAX_FIELD)}…` : collapsed
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A legacy `msg` that is really a machine code (`2fa.verify`, `invalid_grant`), not a sentence. */
const MACHINE_CODE = /^[a-z0-9]+([._][a-z0-9]+)+$/

/**
 * Reads the three error shapes the API family uses, in the order a body most specifically
 * identifies itself:
 * - legacy Fastly `{"msg": "...", "detail": "..."}`, where `msg` may itself be an object
 *   `{"error": "2fa.verify", "error_description": "..."}` (seen on a refused OTP);
 * - JSON:API `{"errors": [{"title", "detail", "code", "status"}]}`;
 * - problem+json `{"title", "detail", "status", "type"}`;
 * plus the spec's bare `{"code": "..."}` for 400s. Anything else (HTML from a proxy, text/plain
 * 401s, an empty body) becomes a short one-line excerpt, so the error still says what came back.
 */
export function parseErrorBody(body: string): ParsedErrorBody {
  if (body.trim() === '') return {}
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return { apiMessage: text(body) }
  }
  if (!isRecord(json)) return { apiMessage: text(body) }

  const out: ParsedErrorBody = {}
  const { msg } = json
  if (isRecord(msg)) {
    out.code = text(msg.error)
    out.apiMessage = text(msg.error_description) ?? text(msg.message) ?? out.code
  } else if (text(msg) !== undefined) {
    out.apiMessage = text(msg)
    if (MACHINE_CODE.test(out.apiMessage ?? '')) out.code = out.apiMessage
  }

  if (Array.isArray(json.errors) && json.errors.length > 0 && isRecord(json.errors[0])) {
    const first = json.errors[0]
    out.apiMessage ??= text(first.title) ?? text(first.detail)
    out.detail ??= text(first.detail) === out.apiMessage ? undefined : text(first.detail)
    out.code ??= text(first.code)
    if (json.errors.length > 1) {
      const more = `(and ${json.errors.length - 1} more error${json.errors.length > 2 ? 's' : ''})`
      out.detail = out.detail === undefined ? more : `${out.detail} ${more}`
    }
  }

  out.apiMessage ??= text(json.title) ?? text(json.error_description) ?? text(json.message)
  out.detail ??= text(json.detail)
  out.code ??= text(json.code) ?? text(json.error)

  if (out.apiMessage === undefined && out.detail === undefined && out.code === undefined) {
    return { apiMessage: text(body) }
  }
  for (const key of ['apiMessage', 'detail', 'code'] as const) if (out[key] === undefined) delete out[key]
  return out
}

const ERROR_FIELDS = ['msg', 'errors', 'title', 'detail', 'code'] as const

/**
 * Is this body an answer of the API itself? true: a Fastly error body, in one of the shapes
 * above. false: something else answered (a proxy's HTML page, a captive portal, text, an empty
 * body, another server's JSON); such an answer may say nothing about a token, since a 404 HTML
 * page proves nothing about an id or a value. undefined: JSON cut short or damaged in transit,
 * which only the API sends; it is read like the API's, as it always was.
 */
export function errorBodyShape(body: string): boolean | undefined {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return /^\s*[{[]/.test(body) ? undefined : false
  }
  return isRecord(json) && ERROR_FIELDS.some(key => json[key] !== undefined && json[key] !== null)
}
