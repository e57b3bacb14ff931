import type { Dispatcher } from 'undici'
import type { RetryPolicy } from '../http/retry-policy.js'

export interface FastlyTokensClientOptions {
  /** The API token sent as `Fastly-Key`. Default: the `FASTLY_API_TOKEN` environment variable. */
  apiToken?: string
  /** Default: `FASTLY_API_ENDPOINT`, else https://api.fastly.com. Plain http only for loopback hosts. */
  baseUrl?: string
  /** Your product, put before `fastly-token-action/<version>` in the User-Agent. */
  userAgent?: string
  /** Per request, headers and body together (default 30 000). */
  timeoutMs?: number
  /** Overrides of the retry policy (attempts, backoff, sleep, random, clock). */
  retry?: Partial<RetryPolicy>
  /**
   * The undici dispatcher to send through. Default: one EnvHttpProxyAgent per client, which keeps
   * connections alive and honours HTTP(S)_PROXY / NO_PROXY from `env`. A dispatcher you pass stays
   * yours: `close()` does not close it.
   */
  dispatcher?: Dispatcher
  /** Where FASTLY_API_TOKEN, FASTLY_API_ENDPOINT and the proxy variables are read. Default: process.env. */
  env?: Record<string, string | undefined>
  /**
   * Told, one line each, what the client clamped or ignored in an answer (an out-of-range
   * rate-limit header), for a debug log. Lines carry header text: neutralise them for a log.
   */
  debug?: (line: string) => void
}

export const DEFAULT_TIMEOUT_MS = 30_000
