/**
 * `api-url` and `broker-url`: https anywhere, plain http only to this machine (a simulator, a
 * local broker or a test double): credentials must never cross a network in clear text.
 */

export type ApiUrlResult = { ok: true; url: string } | { ok: false; problem: string }

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host)
}

export function parseApiUrl(text: string, example = 'https://api.fastly.com'): ApiUrlResult {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return { ok: false, problem: `it is not an absolute URL like ${example}` }
  }
  if (url.username || url.password) return { ok: false, problem: 'it must not carry credentials' }
  if (url.search || url.hash) return { ok: false, problem: 'it must not have a query or fragment' }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return {
      ok: false,
      problem: `http is allowed only for loopback hosts (127.0.0.1, ::1, localhost), got ${url.host}`
    }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, problem: `expected an https URL, got ${url.protocol.replace(':', '')}` }
  }
  return { ok: true, url: url.href.replace(/\/+$/, '') }
}
