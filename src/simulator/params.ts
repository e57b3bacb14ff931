/**
 * Request parameters from a form (`application/x-www-form-urlencoded`, what every real client
 * sends to POST /tokens and POST /sudo) or a JSON object (what the official SudoApi sends).
 */
export interface Params {
  get(name: string): string | undefined
  getAll(name: string): string[]
  has(name: string): boolean
}

export interface MediaType {
  /** Lower-cased `type/subtype`. */
  type: string
  /** Lower-cased parameter names; values unquoted. */
  params: Map<string, string>
}

/** Parses a Content-Type, tolerant of parameter order, spacing, case and quoting. */
export function parseMediaType(header: string | undefined): MediaType | undefined {
  if (!header) return undefined
  const [type = '', ...rest] = header.split(';')
  const params = new Map<string, string>()
  for (const part of rest) {
    const eq = part.indexOf('=')
    if (eq === -1) continue
    const name = part.slice(0, eq).trim().toLowerCase()
    let value = part.slice(eq + 1).trim()
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
    params.set(name, value)
  }
  return { type: type.trim().toLowerCase(), params }
}

function isJsonType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json')
}

/** Returns undefined when a JSON body does not parse or is not an object. */
export function parseParams(contentType: string | undefined, body: string): Params | undefined {
  const media = parseMediaType(contentType)
  if (media && isJsonType(media.type)) return body.trim() === '' ? formParams('') : jsonParams(body)
  return formParams(body)
}

function formParams(body: string): Params {
  const form = new URLSearchParams(body)
  return {
    get: name => form.get(name) ?? undefined,
    getAll: name => form.getAll(name),
    has: name => form.has(name)
  }
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

function jsonParams(body: string): Params | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined
  const object = parsed as Record<string, unknown>
  const own = (name: string): unknown => (Object.hasOwn(object, name) ? object[name] : undefined)
  return {
    get: name => scalar(own(name)),
    getAll: name => {
      const value = own(name)
      const list = Array.isArray(value) ? value : [value]
      return list.map(scalar).filter((item): item is string => item !== undefined)
    },
    has: name => own(name) !== undefined && own(name) !== null
  }
}
