/**
 * One `POST /v1/token` from the bearer header to a minted token or a refusal, in the order that
 * spends the least on a bad request: the ID token's size and signature first (no claim is read
 * before it verifies), its jti next (held from here on, so two requests with one token cannot
 * both pass), then the body and the policy, the repository's rate limit, Fastly's budget, and
 * only then the mint.
 */
import type { CreatedToken } from '../types.js'
import type { BrokerConfig } from './config.js'
import { MintFailure, type FastlyMinter } from './fastly-mint.js'
import { CLOCK_SKEW_S, IdTokenRefusal, type IdTokenVerifier, type VerifiedClaims } from './id-token.js'
import { IssuerUnavailableError } from './issuer-keys.js'
import { BadRequest, readMintRequest } from './mint-request.js'
import { decide, type Grant } from './policy.js'
import type { FastlyBudget, RepositoryLimiter } from './rate-limits.js'
import { Refusal } from './refusal.js'
import type { ReplayCache } from './replay-cache.js'
import { brokeredTokenName } from './token-name.js'

export type ExchangeResult =
  | { kind: 'minted'; token: CreatedToken; grant: Grant; claims: VerifiedClaims }
  | { kind: 'refused'; refusal: Refusal; claims?: VerifiedClaims; policy?: string }

/** Longest the broker waits for Fastly's answer to a mint, even after the caller's request time
 *  ran out: a token that arrives late is revoked, not left behind. */
export const MINT_WAIT_MS = 60_000

/** A mint still running when the caller's request time ran out. */
export interface LateMint {
  minting: Promise<CreatedToken>
  grant: Grant
  claims: VerifiedClaims
}

export interface ExchangeParts {
  config: BrokerConfig
  verifier: IdTokenVerifier
  replay: ReplayCache
  repositories: RepositoryLimiter
  budget: FastlyBudget
  minter: FastlyMinter
  now: () => number
  /** Takes over a mint that outlived the request: revokes the token when it arrives. */
  onLateMint: (late: LateMint) => void
}

const LATE = Symbol('late')

function lateAfter(ms: number): { promise: Promise<typeof LATE>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined
  const promise = new Promise<typeof LATE>(resolve => {
    timer = setTimeout(() => resolve(LATE), Math.max(0, ms))
  })
  return { promise, cancel: () => clearTimeout(timer) }
}

function bearer(authorization: string | undefined, maxBytes: number): string {
  if (authorization === undefined || authorization === '') {
    throw new Refusal(401, 'missing_token', 'send the GitHub ID token as Authorization: Bearer <token>')
  }
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization)
  if (match === null)
    throw new Refusal(401, 'missing_token', 'the Authorization header is not "Bearer <token>"')
  const token = match[1] as string
  if (token.length > maxBytes)
    throw new Refusal(401, 'token_too_large', `the ID token is larger than ${maxBytes} bytes`)
  return token
}

export class TokenExchange {
  readonly #p: ExchangeParts

  constructor(parts: ExchangeParts) {
    this.#p = parts
  }

  async exchange(authorization: string | undefined, body: string, deadline: number): Promise<ExchangeResult> {
    let claims: VerifiedClaims | undefined
    let heldJti: string | undefined
    let countedRepository: string | undefined
    let policy: string | undefined
    let spent = false
    try {
      const idToken = bearer(authorization, this.#p.config.limits.maxIdTokenBytes)
      claims = await this.#verify(idToken)
      const now = this.#p.now()
      const held = this.#p.replay.claim(claims.jti, (claims.exp + CLOCK_SKEW_S) * 1000, now)
      if (held === 'replayed')
        throw new Refusal(401, 'token_replayed', 'this ID token was already used; request a new one')
      if (held === 'full')
        throw new Refusal(503, 'overloaded', 'the broker holds too many live ID tokens; try again', 5)
      heldJti = claims.jti

      const request = readMintRequest(body)
      const decision = decide(this.#p.config.policies, claims, request)
      if (!decision.ok) {
        if (decision.reason !== 'no_policy') policy = decision.policy
        throw new Refusal(403, decision.reason, decision.message)
      }
      const { grant } = decision
      policy = grant.policy.name

      const repoLimit = this.#p.repositories.take(claims.repository, now)
      if (!repoLimit.ok) {
        throw new Refusal(
          429,
          'rate_limited',
          'this repository has used its mints for now',
          repoLimit.retryAfterS
        )
      }
      countedRepository = claims.repository
      const budget = this.#p.budget.check(now)
      if (!budget.ok) {
        throw new Refusal(
          429,
          'fastly_budget',
          "Fastly's write budget is nearly spent; the broker keeps the rest in reserve",
          budget.retryAfterS
        )
      }

      const minting = this.#p.minter.mint(
        {
          name: brokeredTokenName(claims),
          scopes: grant.scopes,
          services: grant.services,
          expiresAt: new Date(now + grant.expiresInS * 1000)
        },
        now + MINT_WAIT_MS,
        this.#p.now
      )
      const timer = lateAfter(deadline - this.#p.now())
      const first = await Promise.race([minting, timer.promise]).finally(timer.cancel)
      if (first === LATE) {
        spent = true
        this.#p.onLateMint({ minting, grant, claims })
        throw new Refusal(
          504,
          'fastly_timeout',
          'Fastly did not answer within the request time; a token that arrives later is revoked at once'
        )
      }
      spent = true
      return { kind: 'minted', token: first, grant, claims }
    } catch (error) {
      let refusal: Refusal
      if (error instanceof MintFailure) {
        refusal = error.refusal
        spent = error.mayHaveMinted
      } else if (error instanceof Refusal) {
        refusal = error
      } else if (error instanceof BadRequest) {
        refusal = new Refusal(400, 'bad_request', error.message)
      } else {
        refusal = new Refusal(500, 'internal_error', 'the broker failed while handling the request')
        spent = heldJti !== undefined
      }
      // Nothing was minted: the same ID token may come back (after a 429 or 503 above all).
      if (!spent) {
        if (heldJti !== undefined) this.#p.replay.release(heldJti)
        if (countedRepository !== undefined) this.#p.repositories.giveBack(countedRepository)
      }
      return {
        kind: 'refused',
        refusal,
        ...(claims === undefined ? {} : { claims }),
        ...(policy === undefined ? {} : { policy })
      }
    }
  }

  async #verify(idToken: string): Promise<VerifiedClaims> {
    try {
      return await this.#p.verifier.verify(idToken)
    } catch (error) {
      if (error instanceof IdTokenRefusal) throw new Refusal(401, error.reason, error.message)
      if (error instanceof IssuerUnavailableError) {
        throw new Refusal(
          503,
          'issuer_unavailable',
          "the ID token issuer's keys cannot be fetched right now",
          10
        )
      }
      throw error
    }
  }
}
