/**
 * The issuer's signing keys: discovered through its `/.well-known/openid-configuration`, fetched
 * from the `jwks_uri` it names (same origin as the issuer, so a tampered discovery document
 * cannot point the broker at keys of someone else's), cached, and fetched again when a token
 * names a `kid` the cache lacks, at most once a minute (a flood of tokens with made-up kids must
 * not turn into a flood of requests to the issuer). Keys also go stale after `maxAgeMs`, so a key
 * the issuer withdrew stops verifying.
 */
import type { Dispatcher } from 'undici'
import { createLocalJWKSet, type JSONWebKeySet, type JWSHeaderParameters, type FlattenedJWSInput } from 'jose'
import { exchange } from '../http/exchange.js'

export const KID_REFETCH_INTERVAL_MS = 60_000
const DEFAULT_MAX_AGE_MS = 10 * 60_000
const FETCH_TIMEOUT_MS = 5_000
const MAX_DOCUMENT_BYTES = 256 * 1024

/** The issuer could not be asked: nothing about the token is known yet (a 503, not a 401). */
export class IssuerUnavailableError extends Error {
  override name = 'IssuerUnavailableError'
}

type KeyResolver = ReturnType<typeof createLocalJWKSet>

interface Cached {
  resolve: KeyResolver
  kids: Set<string>
  fetchedAt: number
}

export class IssuerKeys {
  readonly #issuer: string
  readonly #dispatcher: Dispatcher
  readonly #now: () => number
  readonly #maxAgeMs: number
  readonly #onFetch: () => void
  #cached: Cached | undefined
  #lastAttempt = -Infinity
  #inflight: Promise<void> | undefined
  #jwksUri: string | undefined

  constructor(options: {
    issuer: string
    dispatcher: Dispatcher
    now?: () => number
    maxAgeMs?: number
    onFetch?: () => void
  }) {
    this.#issuer = options.issuer
    this.#dispatcher = options.dispatcher
    this.#now = options.now ?? Date.now
    this.#maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS
    this.#onFetch = options.onFetch ?? (() => {})
  }

  /** For jose's jwtVerify: the key for this header, refreshing the set when it is stale or lacks the kid. */
  readonly resolver = async (
    header: JWSHeaderParameters,
    token: FlattenedJWSInput
  ): Promise<CryptoKeyLike> => {
    const now = this.#now()
    const cached = this.#cached
    const stale = cached === undefined || now - cached.fetchedAt >= this.#maxAgeMs
    const unknownKid = cached !== undefined && typeof header.kid === 'string' && !cached.kids.has(header.kid)
    if (stale || (unknownKid && now - this.#lastAttempt >= KID_REFETCH_INTERVAL_MS)) {
      try {
        await this.#refresh()
      } catch (error) {
        // A stale set still verifies while the issuer is down; only no set at all is fatal.
        if (this.#cached === undefined) throw error
      }
    }
    const current = this.#cached
    if (current === undefined) throw new IssuerUnavailableError("the issuer's keys are not available")
    return current.resolve(header, token)
  }

  #refresh(): Promise<void> {
    this.#inflight ??= this.#fetch().finally(() => {
      this.#inflight = undefined
    })
    return this.#inflight
  }

  async #fetch(): Promise<void> {
    this.#lastAttempt = this.#now()
    this.#onFetch()
    this.#jwksUri ??= await this.#discover()
    const jwks = (await this.#getJson(this.#jwksUri, 'JWKS')) as JSONWebKeySet
    if (!Array.isArray(jwks?.keys)) throw new IssuerUnavailableError("the issuer's JWKS has no keys array")
    const kids = new Set(jwks.keys.map(k => k.kid).filter((k): k is string => typeof k === 'string'))
    this.#cached = { resolve: createLocalJWKSet(jwks), kids, fetchedAt: this.#now() }
  }

  async #discover(): Promise<string> {
    const doc = (await this.#getJson(
      `${this.#issuer}/.well-known/openid-configuration`,
      'discovery document'
    )) as {
      issuer?: unknown
      jwks_uri?: unknown
    }
    if (doc?.issuer !== this.#issuer) {
      throw new IssuerUnavailableError('the discovery document names another issuer')
    }
    if (typeof doc.jwks_uri !== 'string')
      throw new IssuerUnavailableError('the discovery document has no jwks_uri')
    let uri: URL
    try {
      uri = new URL(doc.jwks_uri)
    } catch {
      throw new IssuerUnavailableError("the discovery document's jwks_uri is not a URL")
    }
    if (uri.origin !== new URL(this.#issuer).origin) {
      throw new IssuerUnavailableError(
        "the discovery document's jwks_uri is on another origin than the issuer"
      )
    }
    return uri.href
  }

  async #getJson(url: string, what: string): Promise<unknown> {
    const outcome = await exchange(this.#dispatcher, {
      method: 'GET',
      url,
      headers: { Accept: 'application/json' },
      timeoutMs: FETCH_TIMEOUT_MS
    })
    if (outcome.kind !== 'answer')
      throw new IssuerUnavailableError(`the issuer's ${what} could not be fetched (${outcome.kind})`)
    if (outcome.status !== 200)
      throw new IssuerUnavailableError(`the issuer's ${what} answered ${outcome.status}`)
    if (outcome.body.length > MAX_DOCUMENT_BYTES)
      throw new IssuerUnavailableError(`the issuer's ${what} is too large`)
    try {
      return JSON.parse(outcome.body)
    } catch {
      throw new IssuerUnavailableError(`the issuer's ${what} is not JSON`)
    }
  }
}

type CryptoKeyLike = Awaited<ReturnType<KeyResolver>>
