import type { FastlyTokensClient } from '../client/index.js'
import type { Token } from '../types.js'
import { isNotTheApi, type ShapedFailure } from './endpoint-proof.js'
import { describeFailure } from './refusal.js'

/** The caller's view of the tokens: its own (`GET /tokens`), or a customer's for a superuser. */
export type Listing =
  | { ok: true; tokens: Token[]; ids: Set<string> }
  /** `refusedByApi`: the API itself said no (a Fastly 403 or 404), not a failure in transit. */
  | { ok: false; reason: string; refusedByApi: boolean }

export async function listVisibleTokens(
  client: FastlyTokensClient,
  options: { customerId?: string; deadline?: number; signal?: AbortSignal }
): Promise<Listing> {
  const call = { deadline: options.deadline, signal: options.signal }
  try {
    const tokens =
      options.customerId === undefined
        ? await client.listTokensUser(call)
        : await client.listTokensCustomer(options.customerId, call)
    return { ok: true, tokens, ids: new Set(tokens.map(t => t.id)) }
  } catch (error) {
    const failure = error as ShapedFailure
    const refusedByApi = (failure.status === 403 || failure.status === 404) && !isNotTheApi(failure)
    return { ok: false, reason: describeFailure(failure), refusedByApi }
  }
}

/** Where the token list came from, for reasons: "the caller's token list" or "... of customer X". */
export function listingName(customerId: string | undefined): string {
  return customerId === undefined ? "the caller's token list" : `the token list of customer ${customerId}`
}
