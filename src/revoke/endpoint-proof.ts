import type { FastlyTokensClient } from '../client/index.js'
import { FastlyApiError } from '../http/errors.js'
import type { Token } from '../types.js'
import { describeFailure, type ApiFailureLike } from './refusal.js'

/**
 * Proof that the endpoint speaks the Fastly API, before anything is read as "gone" or "not found".
 * A wrong `--api-url`, a proxy or a captive portal answers 404 HTML to everything; read naively,
 * that makes every id "not found" and every leaked value "already gone" while the tokens stay
 * live. So an answer counts only when it is the API's: a 2xx whose JSON has the expected shape,
 * or an error whose body is a Fastly error body (see isFastlyErrorBody). An HTML page, a non-JSON
 * 404 or a redirect is never evidence about a token: it stops the run, before any write.
 */

/** The endpoint did not answer as the Fastly API, or refused the token making the requests. */
export class EndpointProofError extends FastlyApiError {
  override name = 'EndpointProofError'
  readonly proof: 'not-the-api' | 'caller-refused'

  constructor(message: string, proof: EndpointProofError['proof'], failure: ApiFailureLike) {
    super(message, {
      method: 'GET',
      path: '/tokens/self',
      ...(failure.status === undefined ? {} : { status: failure.status }),
      ...(failure.code === undefined ? {} : { code: failure.code })
    })
    this.proof = proof
  }
}

export type ShapedFailure = ApiFailureLike & { fastlyShaped?: boolean }

/**
 * An answer that is not the API's: it arrived (it has a status) but its body is not Fastly's. A
 * 5xx page is left out (a CDN in front of the API shows HTML for its own outages: transient), and
 * so is a 429. `fastlyShaped` undefined (a failure built by hand, not by the client) counts as the
 * API's, so the rule only ever applies to answers the client has actually looked at.
 */
export function isNotTheApi(failure: ShapedFailure): boolean {
  const { status } = failure
  if (status === undefined || failure.fastlyShaped !== false) return false
  return status < 500 && status !== 429
}

/** A 401 or 404 that the API itself gave (the only kind that may mean "gone"). */
export function isApiGone(failure: ShapedFailure): boolean {
  return (failure.status === 401 || failure.status === 404) && !isNotTheApi(failure)
}

/** The one line a run stops with; `answer` is describeFailure of the answer (scrubbed of any value). */
export function notTheApiLine(what: string, answer: string): string {
  return (
    `the endpoint does not answer as the Fastly API: ${what} got ${answer}, ` +
    'which is not a Fastly JSON answer (an HTML page, a redirect or another server?); ' +
    'nothing was revoked and nothing is reported gone. Check --api-url / FASTLY_API_ENDPOINT'
  )
}

/**
 * GET /tokens/self with the token making the requests. Returns that token, or undefined when it
 * could not be read; throws EndpointProofError when the answer is not the API's or the API
 * refused the token (401).
 */
export async function proveEndpoint(
  client: FastlyTokensClient,
  call: { deadline?: number; signal?: AbortSignal },
  /** true: no answer (a 5xx, the network) is thrown too, for a front end that stops at once then. */
  requireAnswer = false
): Promise<Token | undefined> {
  try {
    return await client.getTokenCurrent(call)
  } catch (error) {
    const failure = error as ShapedFailure
    if (isNotTheApi(failure)) {
      throw new EndpointProofError(
        notTheApiLine('GET /tokens/self', describeFailure(failure)),
        'not-the-api',
        failure
      )
    }
    if (failure.status === 401) {
      throw new EndpointProofError(
        `the API refused the token making the requests (${describeFailure(failure)}); nothing was sent`,
        'caller-refused',
        failure
      )
    }
    // A Fastly-shaped refusal of another kind (a 403 for a limited token) proves the endpoint; a
    // 5xx or no answer proves nothing either way, and leaves the run to the rule that only the
    // API's own answers settle an id (the 10k fault tests run with every read failing).
    if (requireAnswer && (failure.status === undefined || failure.status >= 500)) throw error
    return undefined
  }
}
