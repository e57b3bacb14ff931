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
 * headers and body together (an AbortSignal), with undici's own headers/body timeouts as the
 * same bound. Redirects are not followed: undici's `request` only follows them when a redirect
 * interceptor is composed in, and none is, so a 3xx comes back as an answer and the Fastly-Key
 * never goes to the host a Location header names.
 */
export async function exchange(dispatcher: Dispatcher, init: ExchangeInit): Promise<ExchangeOutcome> {
  const timer = AbortSignal.timeout(init.timeoutMs)
  const signal = init.signal === undefined ? timer : AbortSignal.any([init.signal, timer])
  try {
    const response = await request(init.url, {
      dispatcher,
      method: init.method,
      headers: init.headers,
      body: init.body,
      signal,
      headersTimeout: init.timeoutMs,
      bodyTimeout: init.timeoutMs
    })
    const body = await response.body.text()
    return { kind: 'answer', status: response.statusCode, headers: response.headers, body }
  } catch (error) {
    if (init.signal?.aborted) return { kind: 'aborted' }
    const code = (error as { code?: unknown } | null)?.code
    if (timer.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return { kind: 'timeout', timeoutMs: init.timeoutMs }
    }
    return { kind: 'network', failure: describeNetworkFailure(error), cause: error }
  }
}
