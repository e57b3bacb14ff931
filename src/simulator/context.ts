import type { IncomingHttpHeaders } from 'node:http'
import type { RateLimitState } from '../types.js'
import type { SimClock } from './clock.js'
import type { SimStore, SimUser, TokenRecord } from './model.js'
import type { SimSettings } from './options.js'
import type { RandomSource } from './random.js'
import type { WriteBudget } from './rules/rate-limit.js'

/** The simulated world every route works on. */
export interface SimCore {
  readonly store: SimStore
  readonly settings: SimSettings
  readonly clock: SimClock
  readonly budget: WriteBudget
  /** Source of new ids and access tokens (seeded when the simulator has a seed). */
  ids: RandomSource
}

/** One request as a route sees it: already read, routed and timed. */
export interface RequestContext {
  readonly core: SimCore
  readonly method: string
  readonly path: string
  readonly params: Readonly<Record<string, string>>
  readonly headers: IncomingHttpHeaders
  readonly body: string
  /** The query string's parameters (the automation-token list pages with them). */
  readonly query: URLSearchParams
  /** The socket's peer address (what the API stores as a token's `ip`). */
  readonly remoteAddress: string | null
  /** The simulator clock when the request arrived; one value for the whole request. */
  readonly now: number
  /** Set once a write was counted, for the rate-limit headers of the answer. */
  rate?: RateLimitState
  /** Who made the request, once known (for the request log). */
  caller?: { user: SimUser; token?: TokenRecord }
}

/** A header's single value (Node joins most duplicates, but some arrive as arrays). */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
