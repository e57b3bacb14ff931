/** How a request that got no HTTP answer failed. */
export interface NetworkFailure {
  /** The socket or undici code, e.g. `ECONNREFUSED`, `UND_ERR_SOCKET`. */
  code: string
  /** One line for humans. */
  description: string
  /**
   * True only when the failure happened before a connection existed, so no byte of the request
   * can have reached the server. Only then may a non-idempotent request (POST /tokens, which
   * would mint a second token) be sent again.
   */
  beforeSending: boolean
}

/** Failures of name resolution or of the TCP connect itself: nothing was written. */
const BEFORE_SENDING = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT'
])

const DESCRIPTIONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed temporarily',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed by the server before a complete answer',
  UND_ERR_CLOSED: 'connection closed'
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') return code
  // Happy-eyeballs connects (localhost -> ::1 and 127.0.0.1) fail with an AggregateError.
  const inner = (error as { errors?: unknown }).errors
  if (Array.isArray(inner)) return inner.map(codeOf).find(c => c !== undefined)
  return undefined
}

/** Whether a failure with this code happened before any byte of the request left (see above). */
export function failedBeforeSending(code: string): boolean {
  return BEFORE_SENDING.has(code)
}

export function describeNetworkFailure(error: unknown): NetworkFailure {
  const code = codeOf(error) ?? codeOf((error as { cause?: unknown } | null)?.cause) ?? 'network_error'
  return {
    code,
    description:
      DESCRIPTIONS[code] ?? `network failure (${error instanceof Error ? error.message : String(error)})`,
    beforeSending: failedBeforeSending(code)
  }
}
