import { EventEmitter } from 'node:events'
import { request, type Dispatcher } from 'undici'
import type { IncomingHttpHeaders } from 'node:http'
import { describeNetworkFailure, type NetworkFailure } from './network-failure.js'

/** One HTTP request and how it ended. */
export type ExchangeOutcome =
  | { kind: 'answer'; status: number; headers: IncomingHttpHeaders; body: string }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'aborted' }
  | { kind: 'network'; failure: NetworkFailure; cause: unknown }

export interface ExchangeInit {
  method: 'GET' | 'POST' | 'DELETE'
  url: string
  headers: Record<string, string>
  body?: string
  timeoutMs: number
  signal?: AbortSignal
}

/**
 * Sends one request over the client's dispatcher and reads the whole answer. The timeout covers
 * headers and body together, with undici's own headers/body timeouts as the same bound. Redirects
 * are not followed: undici's `request` only follows them when a redirect interceptor is composed
 * in, and none is, so a 3xx comes back as an answer and the Fastly-Key never goes to the host a
 * Location header names.
 *
 * The abort handle is a plain EventEmitter with one timer rather than `AbortSignal.timeout()`
 * (and `AbortSignal.any` with the caller's signal): undici accepts either, and the signal pair
 * cost more CPU per request than the rest of the client's own work (measured by `npm run bench`).
 */
export async function exchange(dispatcher: Dispatcher, init: ExchangeInit): Promise<ExchangeOutcome> {
  if (init.signal?.aborted) return { kind: 'aborted' }
  const abort = new EventEmitter()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    abort.emit('abort')
  }, init.timeoutMs)
  const onCallerAbort = () => abort.emit('abort')
  init.signal?.addEventListener('abort', onCallerAbort, { once: true })
  try {
    const response = await request(init.url, {
      dispatcher,
      method: init.method,
      headers: init.headers,
      body: init.body,
      signal: abort,
      headersTimeout: init.timeoutMs,
      bodyTimeout: init.timeoutMs
    })
    const body = await response.body.text()
    return { kind: 'answer', status: response.statusCode, headers: response.headers, body }
  } catch (error) {
    if (init.signal?.aborted) return { kind: 'aborted' }
    const code = (error as { code?: unknown } | null)?.code
    if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return { kind: 'timeout', timeoutMs: init.timeoutMs }
    }
    return { kind: 'network', failure: describeNetworkFailure(error), cause: error }
  } finally {
    clearTimeout(timer)
    init.signal?.removeEventListener('abort', onCallerAbort)
  }
}
