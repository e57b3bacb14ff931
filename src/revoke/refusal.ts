/**
 * Why did the API refuse a bulk revoke? The engine acts differently on each answer, and the API
 * does not say so in a machine-readable way, so this reads the status and Fastly's message.
 *
 * The heuristic, in order:
 * - 429, or the client's RateLimitError: the write budget is spent; nothing was learned about the ids.
 * - 401: the caller's own credentials are bad; every further write would fail the same way.
 * - 400 or 413 whose message talks about a limit ("too many", "maximum", "limit", "exceed", "at most")
 *   and names none of the chunk's ids: a size refusal. The server caps bulk size; halve and retry.
 * - Any other 4xx (404 unknown id, 403 someone else's token, a 400 that is not about size, 409, 422):
 *   an id refusal. If the message names ids of the chunk, those are the culprits; otherwise the
 *   chunk is bisected to find them.
 * - 5xx, an unexpected non-error status, or no answer at all (network failure, timeout): transient;
 *   the client has already retried what it safely could.
 */

export interface ApiFailureLike {
  name?: string
  status?: number
  apiMessage?: string
  detail?: string
  code?: string
  message?: string
  resetAt?: Date
  /** Set by the client: false when the answer's body was not a Fastly error body (see endpoint-proof.ts). */
  fastlyShaped?: boolean
}

export type Refusal =
  | { kind: 'rate-limit'; resetAt?: Date; reason: string }
  | { kind: 'auth'; status: number; reason: string }
  | { kind: 'size'; status: number; reason: string }
  | { kind: 'ids'; status: number; reason: string; namedIds: string[] }
  | { kind: 'transient'; status?: number; reason: string }

const SIZE_WORDS = /too many|too large|too big|maximum|\bmax\b|limit|exceed|at most|no more than/i
const ID_CANDIDATE = /[A-Za-z0-9]{16,24}/g

/** "HTTP 404 Token lookup failed (detail)": short, and never a secret (the client redacts). */
export function describeFailure(error: ApiFailureLike): string {
  const status = error.status === undefined ? (error.code ?? 'no answer') : `HTTP ${error.status}`
  const said = error.apiMessage ?? (error.status === undefined ? error.message : undefined)
  const text = said ? `${status} ${said}` : status
  return error.detail && error.detail !== said ? `${text} (${error.detail})` : text
}

/** Ids of `chunk` that the API's message mentions by name. */
export function idsNamedIn(error: ApiFailureLike, chunk: ReadonlySet<string>): string[] {
  const text = `${error.apiMessage ?? ''} ${error.detail ?? ''}`
  const named = new Set<string>()
  for (const match of text.matchAll(ID_CANDIDATE)) if (chunk.has(match[0])) named.add(match[0])
  return [...named]
}

export function classifyRefusal(error: ApiFailureLike, chunk: readonly string[]): Refusal {
  const reason = describeFailure(error)
  const status = error.status
  if (error.name === 'RateLimitError' || status === 429)
    return { kind: 'rate-limit', resetAt: error.resetAt, reason }
  if (status === undefined || status >= 500 || status < 400) return { kind: 'transient', status, reason }
  // A 4xx that is not the API's (an HTML page from something in between) says nothing about the
  // ids: retried like a failure in transit, never settled as not-found or forbidden.
  if (error.fastlyShaped === false) return { kind: 'transient', status, reason }
  if (status === 401) return { kind: 'auth', status, reason }
  const namedIds = idsNamedIn(error, new Set(chunk))
  const text = `${error.apiMessage ?? ''} ${error.detail ?? ''}`
  if ((status === 400 || status === 413) && namedIds.length === 0 && SIZE_WORDS.test(text)) {
    return { kind: 'size', status, reason }
  }
  return { kind: 'ids', status, reason, namedIds }
}

/** The outcome a single id gets from an id refusal. */
export function outcomeForStatus(status: number): 'not-found' | 'forbidden' | 'failed' {
  if (status === 404) return 'not-found'
  if (status === 403) return 'forbidden'
  return 'failed'
}
