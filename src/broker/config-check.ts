/**
 * The checks that turn the parsed YAML (or an object of its shape) into a BrokerConfig. Every
 * refusal names the file, the policy and the key, so an operator can fix the file without
 * reading the code.
 */
import { isLoopbackHost } from '../http/endpoint.js'
import { parseDuration } from '../input/duration.js'
import { SCOPE_NAMES } from '../input/scope.js'
import { DEFAULT_API_URL } from '../types.js'
import {
  ConfigError,
  DEFAULT_AUDIENCE,
  DEFAULT_EXPIRES_IN_S,
  DEFAULT_LIMITS,
  DEFAULT_RATE_LIMIT,
  GITHUB_ISSUER,
  POLICY_CLAIMS,
  type BrokerConfig,
  type Policy
} from './config.js'
import { compilePattern, isMatchAll } from './glob.js'

type Obj = Record<string, unknown>

/** Where a problem is: the file, then the path of keys inside it. */
class Place {
  constructor(
    readonly file: string,
    readonly path: string
  ) {}
  at(key: string | number): Place {
    const step = typeof key === 'number' ? `[${key}]` : this.path === '' ? key : `.${key}`
    return new Place(this.file, this.path + step)
  }
  error(problem: string): ConfigError {
    return new ConfigError(`${this.file}: ${this.path === '' ? '' : `${this.path}: `}${problem}`)
  }
}

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function object(place: Place, value: unknown, keys: readonly string[]): Obj {
  if (!isObject(value)) throw place.error(`expected a mapping with the keys ${keys.join(', ')}`)
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) throw place.at(key).error(`unknown key (expected one of ${keys.join(', ')})`)
  }
  return value
}

function text(place: Place, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw place.error('expected a non-empty string')
  return value.trim()
}

function positiveInteger(place: Place, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw place.error(`expected a positive whole number, got ${JSON.stringify(value)}`)
  }
  return value
}

function nonNegativeInteger(place: Place, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw place.error(`expected a whole number >= 0, got ${JSON.stringify(value)}`)
  }
  return value
}

function duration(place: Place, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'string') throw place.error('expected a duration such as 30s, 15m or 1h')
  const result = parseDuration(value)
  if (!result.ok) throw place.error(result.problem)
  return result.value
}

/** https, or plain http to a loopback host (a local issuer or simulator in tests). */
function serviceUrl(place: Place, value: unknown, fallback: string): string {
  if (value === undefined) return fallback
  const raw = text(place, value)
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw place.error('expected an absolute URL such as https://example.com')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw place.error(`expected https://, got ${url.protocol}`)
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw place.error(`plain http:// is allowed only for a loopback host, not ${url.hostname}`)
  }
  if (url.username !== '' || url.password !== '') throw place.error('must not carry credentials')
  if (url.search !== '' || url.hash !== '') throw place.error('must not have a query or fragment')
  return raw.replace(/\/+$/, '')
}

function scopes(place: Place, value: unknown): string[] {
  const list = typeof value === 'string' ? value.split(/[\s,]+/).filter(s => s !== '') : value
  if (!Array.isArray(list) || list.length === 0) {
    throw place.error(`expected a list of scopes from ${SCOPE_NAMES.join(', ')}`)
  }
  const names: string[] = []
  list.forEach((entry: unknown, i) => {
    if (typeof entry !== 'string' || !(SCOPE_NAMES as readonly string[]).includes(entry)) {
      throw place
        .at(i)
        .error(`unknown scope ${JSON.stringify(entry)} (expected one of ${SCOPE_NAMES.join(', ')})`)
    }
    if (!names.includes(entry)) names.push(entry)
  })
  return names
}

function services(place: Place, value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.length === 0) {
    throw place.error('expected a non-empty list of service ids (omit the key for any service)')
  }
  return value.map((entry: unknown, i) => {
    if (typeof entry !== 'string' || !/^[A-Za-z0-9]{1,64}$/.test(entry)) {
      throw place.at(i).error(`expected an alphanumeric service id, got ${JSON.stringify(entry)}`)
    }
    return entry
  })
}

function claims(place: Place, value: unknown): Policy['claims'] {
  if (value === undefined) throw place.error('a policy needs claims: say whose ID tokens it trusts')
  const map = object(place, value, POLICY_CLAIMS)
  const entries = Object.entries(map)
  if (entries.length === 0) throw place.error('a policy needs at least one claim')
  return entries.map(([claim, raw]) => {
    const at = place.at(claim)
    if (typeof raw !== 'string' || raw === '')
      throw at.error('expected an exact string or a glob with * and ?')
    if (isMatchAll(raw))
      throw at.error(`the pattern ${JSON.stringify(raw)} matches every value: name what you trust`)
    return { claim, pattern: compilePattern(raw) }
  })
}

const POLICY_KEYS = ['name', 'claims', 'scope', 'services', 'max-expires-in'] as const

function policy(place: Place, value: unknown, index: number, seen: Set<string>): Policy {
  const named = isObject(value) && typeof value.name === 'string' ? `${value.name}` : `#${index + 1}`
  const at = new Place(place.file, `${place.at(index).path} (${named})`)
  const map = object(at, value, POLICY_KEYS)
  const name = text(at.at('name'), map.name)
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name))
    throw at.at('name').error('expected 1 to 64 letters, digits, ".", "_" or "-"')
  if (seen.has(name)) throw at.at('name').error('another policy has the same name')
  seen.add(name)
  return {
    name,
    claims: claims(at.at('claims'), map.claims),
    scopes: scopes(at.at('scope'), map.scope ?? 'global:read'),
    services: services(at.at('services'), map.services),
    maxExpiresInS: Math.floor(
      duration(at.at('max-expires-in'), map['max-expires-in'], DEFAULT_EXPIRES_IN_S * 1000) / 1000
    )
  }
}

const TOP_KEYS = ['issuer', 'audience', 'fastly', 'policies', 'rate-limit', 'limits'] as const

/** The parsed YAML (or an object of the same shape) as a checked BrokerConfig. */
export function readConfig(value: unknown, file: string): BrokerConfig {
  const top = new Place(file, '')
  const map = object(top, value, TOP_KEYS)
  const fastly = object(top.at('fastly'), map.fastly ?? {}, ['api-url'])
  const rate = object(top.at('rate-limit'), map['rate-limit'] ?? {}, [
    'per-repository',
    'window',
    'fastly-reserve'
  ])
  const limits = object(top.at('limits'), map.limits ?? {}, [
    'max-body-bytes',
    'max-header-bytes',
    'max-id-token-bytes',
    'request-timeout',
    'max-concurrent'
  ])
  const list = map.policies
  if (!Array.isArray(list) || list.length === 0)
    throw top.at('policies').error('expected a list of at least one policy')
  const seen = new Set<string>()
  type Reader = (place: Place, value: unknown, fallback: number) => number
  const inRate = (key: string, read: Reader, fallback: number) =>
    read(top.at('rate-limit').at(key), rate[key], fallback)
  const inLimits = (key: string, read: Reader, fallback: number) =>
    read(top.at('limits').at(key), limits[key], fallback)
  const audience = map.audience === undefined ? DEFAULT_AUDIENCE : text(top.at('audience'), map.audience)
  return {
    issuer: serviceUrl(top.at('issuer'), map.issuer, GITHUB_ISSUER),
    audience,
    fastlyApiUrl: serviceUrl(top.at('fastly').at('api-url'), fastly['api-url'], DEFAULT_API_URL),
    policies: list.map((entry, i) => policy(top.at('policies'), entry, i, seen)),
    rateLimit: {
      perRepository: inRate('per-repository', positiveInteger, DEFAULT_RATE_LIMIT.perRepository),
      windowMs: inRate('window', duration, DEFAULT_RATE_LIMIT.windowMs),
      fastlyReserve: inRate('fastly-reserve', nonNegativeInteger, DEFAULT_RATE_LIMIT.fastlyReserve)
    },
    limits: {
      maxBodyBytes: inLimits('max-body-bytes', positiveInteger, DEFAULT_LIMITS.maxBodyBytes),
      maxHeaderBytes: inLimits('max-header-bytes', positiveInteger, DEFAULT_LIMITS.maxHeaderBytes),
      maxIdTokenBytes: inLimits('max-id-token-bytes', positiveInteger, DEFAULT_LIMITS.maxIdTokenBytes),
      requestTimeoutMs: inLimits('request-timeout', duration, DEFAULT_LIMITS.requestTimeoutMs),
      maxConcurrent: inLimits('max-concurrent', positiveInteger, DEFAULT_LIMITS.maxConcurrent)
    }
  }
}
