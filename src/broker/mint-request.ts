/**
 * The body of `POST /v1/token`: `{"scope", "services", "expires_in"}`, each optional. Anything
 * else (another key, a wrong type, an unknown scope) is a 400 that names the field; the values
 * are never echoed, since a caller may paste anything into a field.
 */
import { SCOPE_NAMES } from '../input/scope.js'

export interface MintRequest {
  scopes?: string[]
  services?: string[]
  expiresInS?: number
}

export class BadRequest extends Error {
  override name = 'BadRequest'
}

const KEYS = ['scope', 'services', 'expires_in']
export const MIN_EXPIRES_IN_S = 60

export function readMintRequest(body: string): MintRequest {
  if (body.trim() === '') return {}
  let data: unknown
  try {
    data = JSON.parse(body)
  } catch {
    throw new BadRequest('the body is not JSON')
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new BadRequest('the body must be a JSON object with scope, services and expires_in (each optional)')
  }
  const d = data as Record<string, unknown>
  const unknown = Object.keys(d).find(k => !KEYS.includes(k))
  if (unknown !== undefined) throw new BadRequest(`unknown field (expected ${KEYS.join(', ')})`)
  const request: MintRequest = {}
  if (d.scope !== undefined) {
    if (typeof d.scope !== 'string') throw new BadRequest('scope must be a space-delimited string')
    const names = d.scope.split(/\s+/).filter(s => s !== '')
    if (names.length === 0) throw new BadRequest('scope is empty')
    if (!names.every(n => (SCOPE_NAMES as readonly string[]).includes(n))) {
      throw new BadRequest(`scope holds an unknown scope (expected ${SCOPE_NAMES.join(', ')})`)
    }
    request.scopes = [...new Set(names)]
  }
  if (d.services !== undefined) {
    if (
      !Array.isArray(d.services) ||
      !d.services.every(s => typeof s === 'string' && /^[A-Za-z0-9]{1,64}$/.test(s))
    ) {
      throw new BadRequest('services must be an array of alphanumeric service ids')
    }
    if (d.services.length > 100) throw new BadRequest('services holds more than 100 ids')
    request.services = [...new Set(d.services as string[])]
  }
  if (d.expires_in !== undefined) {
    const s = d.expires_in
    if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < MIN_EXPIRES_IN_S) {
      throw new BadRequest(`expires_in must be a whole number of seconds, at least ${MIN_EXPIRES_IN_S}`)
    }
    request.expiresInS = s
  }
  return request
}
