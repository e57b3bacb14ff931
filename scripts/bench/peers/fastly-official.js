/**
 * The official `fastly` npm client (v13) as a benchmark peer, pointed at the simulator.
 *
 * Its generated operations pass https://api.fastly.com to `callApi` as the base path of every
 * call, so setting `basePath` alone is not enough: `buildUrl` is wrapped to drop that argument,
 * which makes the client fall back to `basePath`. A private ApiClient is used instead of the
 * package's singleton, so nothing reads FASTLY_API_TOKEN from the environment.
 */
import { createRequire } from 'node:module'

/** The CommonJS package, loaded once (it has no ESM entry). */
export function loadFastly() {
  return createRequire(import.meta.url)('fastly')
}

/** An ApiClient for `baseUrl` authenticated with `token`, and its TokensApi. */
export function officialClient(baseUrl, token) {
  const Fastly = loadFastly()
  const client = new Fastly.ApiClient()
  client.basePath = baseUrl
  const buildUrl = Fastly.ApiClient.prototype.buildUrl
  client.buildUrl = function (path, pathParams, allowReserved) {
    return buildUrl.call(this, path, pathParams, allowReserved, null)
  }
  client.authenticate(token)
  return { client, tokens: new Fastly.TokensApi(client) }
}

/** The status of an error the official client rejected with (superagent's), if any. */
export function statusOf(error) {
  return typeof error?.status === 'number' ? error.status : undefined
}

/** The API's message from such an error, for the report. */
export function messageOf(error) {
  const body = error?.response?.body ?? error?.body
  if (body && typeof body === 'object') {
    if (typeof body.msg === 'string') return body.msg
    if (Array.isArray(body.errors) && typeof body.errors[0]?.title === 'string') return body.errors[0].title
  }
  return error instanceof Error ? error.message : String(error)
}
