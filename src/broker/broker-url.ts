import { isLoopbackHost } from '../http/endpoint.js'

/**
 * The URL `POST /v1/token` goes to, from the broker's base URL (which may carry a path prefix,
 * for a broker mounted below a path). Plain http only to loopback: the ID token is a bearer
 * credential for as long as it lives. The value itself is never echoed: a misconfigured input may
 * hold a pasted token.
 */
export function tokenEndpoint(brokerUrl: unknown): string {
  if (typeof brokerUrl !== 'string' || brokerUrl.trim() === '') {
    throw new TypeError("brokerUrl must be the broker's base URL, such as https://broker.example.com")
  }
  let url: URL
  try {
    url = new URL(brokerUrl.trim())
  } catch {
    throw new TypeError('brokerUrl is not an absolute URL (expected e.g. https://broker.example.com)')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`brokerUrl must be an http(s) URL, got scheme ${url.protocol}`)
  }
  if (url.username !== '' || url.password !== '') {
    throw new TypeError('brokerUrl must not carry credentials')
  }
  if (url.search !== '' || url.hash !== '') {
    throw new TypeError('brokerUrl must not have a query or fragment')
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new TypeError(
      `brokerUrl uses plain http:// for ${url.hostname}, which is not a loopback host: the ID token would ` +
        'travel in clear text. Use https://, or http:// only with 127.0.0.0/8, ::1 or localhost.'
    )
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/v1/token`
}
