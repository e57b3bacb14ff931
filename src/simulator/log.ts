import type { IncomingHttpHeaders } from 'node:http'
import { parseMediaType } from './params.js'

/** One request as the simulator saw it, with every credential replaced by `[redacted]`. */
export interface RequestLogEntry {
  seq: number
  /** Simulator clock, ISO 8601. */
  time: string
  method: string
  /** Path and query as sent. */
  path: string
  /** Route template (`GET /tokens/{token_id}`), or `unknown`. */
  route: string
  /** 0 when the connection was dropped. */
  status: number
  headers: Record<string, string | string[]>
  /** The body, redacted; absent when empty. */
  body?: string
  /** Fault kinds that fired on this request. */
  faults: string[]
  /** Email of the caller, once identified. */
  user?: string
  /** Id (never the secret) of the token that authenticated the request. */
  tokenId?: string
}

export const REDACTED = '[redacted]'
const SECRET_HEADERS = new Set(['fastly-key', 'fastly-otp', 'authorization', 'proxy-authorization', 'cookie'])
const SECRET_FIELDS = new Set(['password', 'access_token', 'otp', 'totp', 'secret', 'token'])

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const copy: Record<string, string | string[]> = {}
  for (const name in headers) {
    const value = headers[name]
    if (value === undefined) continue
    copy[name] = SECRET_HEADERS.has(name) ? REDACTED : value
  }
  return copy
}

/**
 * Keeps bodies readable for debugging without keeping secrets: form and JSON fields named like
 * a credential are replaced; bodies that cannot be parsed are reduced to their size.
 */
export function redactBody(contentType: string | undefined, body: string): string | undefined {
  if (body === '') return undefined
  const type = parseMediaType(contentType)?.type
  if (type === undefined || type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(body)
    for (const name of new Set(form.keys())) if (SECRET_FIELDS.has(name)) form.set(name, REDACTED)
    return form.toString()
  }
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      const parsed: unknown = JSON.parse(body)
      return JSON.stringify(parsed, (key, value: unknown) => (SECRET_FIELDS.has(key) ? REDACTED : value))
    } catch {
      return `[unparsable JSON body, ${Buffer.byteLength(body)} bytes]`
    }
  }
  return `[${type} body, ${Buffer.byteLength(body)} bytes]`
}

/** A bounded in-memory log (a ring: the oldest entries go first). Nothing is written anywhere. */
export class RequestLog {
  readonly #limit: number
  #entries: RequestLogEntry[] = []
  #start = 0
  #seq = 0

  constructor(limit = 10_000) {
    if (!Number.isInteger(limit) || limit < 0)
      throw new TypeError(`logLimit: expected an integer >= 0, got ${limit}`)
    this.#limit = limit
  }

  nextSeq(): number {
    return ++this.#seq
  }

  push(entry: RequestLogEntry): void {
    if (this.#limit === 0) return
    if (this.#entries.length < this.#limit) {
      this.#entries.push(entry)
    } else {
      this.#entries[this.#start] = entry
      this.#start = (this.#start + 1) % this.#limit
    }
  }

  /** Oldest first. */
  entries(): RequestLogEntry[] {
    return [...this.#entries.slice(this.#start), ...this.#entries.slice(0, this.#start)]
  }

  clear(): void {
    this.#entries = []
    this.#start = 0
    this.#seq = 0
  }
}
