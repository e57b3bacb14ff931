import { isIPv4 } from 'node:net'
import { DEFAULT_API_URL } from '../types.js'
import { InsecureEndpointError } from './errors.js'

/** Where requests go: an origin plus an optional path prefix (for a proxy that mounts the API
 *  under a path). */
export interface ApiEndpoint {
  origin: string
  /** '' or a prefix such as '/fastly', never ending in '/'. */
  pathPrefix: string
}

/**
 * The endpoint, from the first of: the `baseUrl` option, the `FASTLY_API_ENDPOINT` environment
 * variable, `https://api.fastly.com`. An empty value counts as unset, because workflow inputs and
 * CI variables that are not configured arrive as empty strings.
 *
 * The URL itself never appears in an error: a misconfigured variable may hold a pasted token.
 */
export function resolveEndpoint(
  baseUrl: string | undefined,
  env: Record<string, string | undefined>
): ApiEndpoint {
  let raw = DEFAULT_API_URL
  let source = 'the default endpoint'
  if (baseUrl !== undefined && baseUrl !== '') {
    if (typeof baseUrl !== 'string')
      throw new TypeError('baseUrl must be a string URL such as https://api.fastly.com')
    raw = baseUrl
    source = 'baseUrl'
  } else if (env.FASTLY_API_ENDPOINT !== undefined && env.FASTLY_API_ENDPOINT !== '') {
    raw = env.FASTLY_API_ENDPOINT
    source = 'FASTLY_API_ENDPOINT'
  }

  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new TypeError(`${source} is not an absolute URL (expected e.g. https://api.fastly.com)`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`${source} must be an http(s) URL, got scheme ${url.protocol}`)
  }
  if (url.username !== '' || url.password !== '') {
    throw new TypeError(`${source} must not carry credentials in the URL; pass the API token as apiToken`)
  }
  if (url.search !== '' || url.hash !== '') {
    throw new TypeError(`${source} must not have a query or fragment (expected e.g. https://api.fastly.com)`)
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new InsecureEndpointError(url.hostname, source)
  }
  return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, '') }
}

/**
 * Loopback as the WHATWG URL parser leaves it: IPv4 is already normalised to dotted quads
 * (`127.1` and `0x7f.0.0.1` both become `127.0.0.1`), IPv6 keeps its brackets.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase()
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true
  return isIPv4(host) && host.startsWith('127.')
}
