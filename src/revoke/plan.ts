import type { FastlyTokensClient } from '../client/index.js'
import type { Token } from '../types.js'
import { proveEndpoint } from './endpoint-proof.js'
import { listingName, listVisibleTokens, type Listing } from './listing.js'
import { lookupTokens } from './lookups.js'
import type { RevokeOutcome } from './report.js'
import { probeBulkPolicy, type BulkPolicyVerdict } from './probe.js'

/**
 * Planning with free reads before spending a write. The list settles most ids at once: an id on
 * it exists and is worth a write; an id absent from it is looked up on its own (GET /tokens/{id}),
 * which answers 404 for no such token and 403 for another user's token the caller may not touch,
 * and still finds another user's token a superuser may revoke. When the list is refused, every id
 * is looked up. Only ids whose reads failed go to the writes blind, where the bulk refusals and
 * bisection settle them.
 *
 * Why bother: under a bulk API that skips unknown ids (answers 204 and revokes what it can), a
 * write proves nothing about an id; only a read before and after does. And reads are not
 * rate-limited, while a bogus id costs writes to isolate.
 */

/**
 * What is known about an id that will be written: how its existence was established. 'own' is a
 * token found by lookup that belongs to the caller's user (the list was not readable when
 * planning): the user's list can show it, so the list can verify it.
 */
export type Evidence = 'listed' | 'own' | 'looked-up' | 'unknown'

export interface RevokePlan {
  /** Ids worth a write, input order. */
  toWrite: string[]
  evidence: Map<string, Evidence>
  /** Ids the reads settled without a write. */
  settled: Map<string, RevokeOutcome>
  /** The records the reads showed (list and lookups), by id: names and owners for the report. */
  known: Map<string, Token>
  /** Why the list could not be used, if it could not. */
  listFailure?: string
  /** The token making the requests, when GET /tokens/self answered. */
  self?: Token
  /**
   * The customer list actually used: undefined when none was asked for, or when the customer's
   * list was refused or unknown and the plan fell back to the caller's own (see `notes`).
   */
  customerId?: string
  /** Things the responder should know at once (a refused customer list, a slow plan). */
  notes: string[]
  /** What the bulk probe learned, when one was sent (see probe.ts). */
  bulkPolicy?: BulkPolicyVerdict
  reads: number
  /** The probe's write, if any. */
  writes: number
}

export interface PlanOptions {
  customerId?: string
  deadline?: number
  signal?: AbortSignal
  lookupConcurrency?: number
  /** May spend one write on the bulk probe (false for dry runs). */
  allowProbe?: boolean
}

/** Ids to look up, beyond which one probe write is cheaper than the reads it may save. */
export const PROBE_THRESHOLD = 256

/** Does this scope value let its token manage tokens? `global` does; read-only and purge scopes do not. */
export function scopeCanManageTokens(scope: string): boolean {
  return scope.split(/\s+/).includes('global')
}

export async function planRevocation(
  client: FastlyTokensClient,
  ids: readonly string[],
  options: PlanOptions = {}
): Promise<RevokePlan> {
  const call = { deadline: options.deadline, signal: options.signal }
  // The proof first: until the endpoint is known to be Fastly's, no answer means anything.
  const self = await proveEndpoint(client, call)
  const notes: string[] = []
  let customerId = options.customerId
  let listing = await listVisibleTokens(client, { ...options, customerId })
  let reads = 2
  if (customerId !== undefined && !listing.ok && listing.refusedByApi) {
    // A refused or unknown customer (not a superuser, or a misspelled id): said at once, and the
    // caller's own list still settles its own tokens; without it, every id would be looked up
    // and, past the probe threshold, written blind to the bulk endpoint.
    notes.push(
      `${listingName(customerId)} was refused (${listing.reason}): not a superuser of that customer, or a misspelled ` +
        "customer id. Planning with the caller's own token list instead; ids of other users are looked up one by one."
    )
    customerId = undefined
    listing = await listVisibleTokens(client, { ...options, customerId })
    reads += 1
  }
  const evidence = new Map<string, Evidence>()
  const settled = new Map<string, RevokeOutcome>()
  const known = new Map<string, Token>()
  if (listing.ok) {
    const wanted = new Set(ids)
    for (const t of listing.tokens) if (wanted.has(t.id)) known.set(t.id, t)
  }

  const toLookUp = listing.ok ? ids.filter(id => !listing.ids.has(id)) : [...ids]
  if (listing.ok) for (const id of ids) if (listing.ids.has(id)) evidence.set(id, 'listed')
  const canWrite = self === undefined || scopeCanManageTokens(self.scope)

  let bulkPolicy: BulkPolicyVerdict | undefined
  let writes = 0
  if (!listing.ok && canWrite && options.allowProbe && toLookUp.length >= PROBE_THRESHOLD) {
    const probe = await probeBulkPolicy(client, call)
    bulkPolicy = probe.verdict
    writes += probe.writes
  }
  // A server that refuses unknown ids by name settles them in the writes themselves.
  const lookUp = bulkPolicy === 'checks-and-names' ? [] : toLookUp
  if (lookUp.length === 0) for (const id of toLookUp) evidence.set(id, 'unknown')

  const lookupOptions = {
    concurrency: options.lookupConcurrency,
    deadline: options.deadline,
    signal: options.signal
  }
  const looked = await lookupTokens(client, lookUp, lookupOptions)
  reads += looked.reads
  // One more pass for lookups that failed (a burst of 5xx outlasting one call's retries): an id
  // that goes to the writes unread can end up unconfirmed.
  const unread = [...looked.results].filter(([, r]) => r.kind === 'unknown').map(([id]) => id)
  if (unread.length > 0 && !options.signal?.aborted) {
    const again = await lookupTokens(client, unread, lookupOptions)
    reads += again.reads
    for (const [id, result] of again.results) looked.results.set(id, result)
  }
  const absent = listing.ok ? ` (absent from ${listingName(customerId)})` : ''
  for (const [id, result] of looked.results) {
    switch (result.kind) {
      case 'exists':
        known.set(id, result.token)
        evidence.set(id, self !== undefined && result.token.user_id === self.user_id ? 'own' : 'looked-up')
        break
      case 'not-found':
        settled.set(id, { id, outcome: 'not-found', reason: `${result.reason}${absent}` })
        break
      case 'forbidden':
        settled.set(id, { id, outcome: 'forbidden', reason: result.reason })
        break
      case 'unknown':
        // The list did not show it and the lookup failed: an own token it cannot be, but a
        // superuser's reach is wider than its list, so let the write decide.
        evidence.set(id, 'unknown')
        break
    }
  }

  // A token without the global scope cannot revoke other tokens (the API answers 403 to every
  // such write): say so per id instead of spending writes to learn it. Its own token it can
  // still revoke, through DELETE /tokens/self.
  if (self && !canWrite) {
    for (const id of ids) {
      if (id === self.id || settled.has(id)) continue
      evidence.delete(id)
      settled.set(id, {
        id,
        outcome: 'forbidden',
        reason: `not sent: the API token in use has scope "${self.scope}", and revoking tokens needs global`
      })
    }
  }

  // Only when no customer list was asked for: a refused one has its own note above.
  const slowNote =
    options.customerId === undefined ? missingCustomerNote(listing, self, toLookUp.length) : undefined
  if (slowNote) notes.push(slowNote)

  const plan: RevokePlan = {
    toWrite: ids.filter(id => evidence.has(id)),
    evidence,
    settled,
    known,
    reads,
    writes,
    notes
  }
  if (customerId !== undefined) plan.customerId = customerId
  if (!listing.ok) plan.listFailure = listing.reason
  if (bulkPolicy !== undefined) plan.bulkPolicy = bulkPolicy
  if (self) plan.self = self
  return plan
}

/** Ids to look up one by one beyond which a missing --customer-id is worth a note. */
export const LOOKUP_NOTE_THRESHOLD = 100

/**
 * Many ids absent from the caller's own list, and no customer list asked for: a superuser would
 * plan them with one read of the customer's list instead of a lookup each.
 */
function missingCustomerNote(listing: Listing, self: Token | undefined, lookups: number): string | undefined {
  if (!listing.ok || lookups < LOOKUP_NOTE_THRESHOLD) return undefined
  const customer = self?.customer_id ? ` ${self.customer_id}` : ''
  return (
    `${lookups} ids are not on the caller's own token list, so each is looked up (GET /tokens/{id}). ` +
    `A superuser plans them with one read: give the customer id${customer} (--customer-id / customer-id).`
  )
}
