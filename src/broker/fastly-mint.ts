/**
 * The mint itself, through the module's FastlyTokensClient (username + password form, plus
 * the TOTP secret for a 2FA account, from which the client makes each code), and what each way
 * it can fail means for the caller. The
 * line that matters: whether Fastly may have minted. When it surely did not (a 429, a 4xx, a
 * connection that never opened) the caller may try again, and the ID token's jti is given back;
 * when it may have (a 5xx, a timeout, a connection lost after sending) the answer says so with a
 * 502/504 and the jti stays spent. Such a token was never seen by the broker, so it cannot be
 * revoked by value: it dies at its expires_at, at most the policy's max-expires-in.
 */
import { FastlyTokensClient } from '../client/client.js'
import { TwoFactorRequiredError } from '../client/two-factor.js'
import { FastlyApiError, RateLimitError } from '../http/errors.js'
import { mayHaveTakenEffect } from '../http/unknown-outcome.js'
import { logText } from '../text/log-text.js'
import type { CreatedToken } from '../types.js'
import type { MintingCredential } from './credentials.js'
import type { FastlyBudget } from './rate-limits.js'
import { Refusal } from './refusal.js'

export interface MintOrder {
  name: string
  scopes: string[]
  services: string[]
  expiresAt: Date
}

/** A failed mint: the refusal to send, and whether a token may exist anyway. */
export class MintFailure extends Error {
  override name = 'MintFailure'
  constructor(
    readonly refusal: Refusal,
    readonly mayHaveMinted: boolean
  ) {
    super(refusal.message)
  }
}

/** Seconds the caller should wait before trying again when Fastly could not be reached. */
const UNREACHABLE_RETRY_S = 5

function fastlySaid(error: FastlyApiError): string {
  const said = error.apiMessage ?? error.detail
  return said === undefined ? '' : `: ${logText(said).slice(0, 200)}`
}

export function failureOf(error: unknown, budget: FastlyBudget, nowMs: number): MintFailure {
  if (error instanceof RateLimitError || (error instanceof FastlyApiError && error.status === 429)) {
    const resetAt = error instanceof RateLimitError ? error.resetAt : new Date(nowMs + 60_000)
    budget.exhausted(resetAt)
    const wait = Math.max(1, Math.ceil((resetAt.getTime() - nowMs) / 1000))
    return new MintFailure(
      new Refusal(
        429,
        'fastly_rate_limited',
        "Fastly's write budget is spent; try again after the reset",
        wait
      ),
      false
    )
  }
  if (error instanceof TwoFactorRequiredError) {
    return new MintFailure(
      new Refusal(
        502,
        'fastly_refused',
        "Fastly asked the broker's account for a one-time password (is FASTLY_BROKER_TOTP_SECRET set and right?)"
      ),
      false
    )
  }
  if (error instanceof FastlyApiError) {
    if (mayHaveTakenEffect(error)) {
      if (error.code === 'timeout') {
        return new MintFailure(
          new Refusal(
            504,
            'fastly_timeout',
            'Fastly did not answer the mint in time; a token may exist and expires on its own'
          ),
          true
        )
      }
      const what =
        error.status === undefined
          ? 'the connection to Fastly was lost during the mint'
          : `Fastly answered ${error.status}`
      return new MintFailure(
        new Refusal(502, 'fastly_error', `${what}; a token may exist and expires on its own`),
        true
      )
    }
    if (error.status !== undefined) {
      return new MintFailure(
        new Refusal(
          502,
          'fastly_refused',
          `Fastly refused the mint with ${error.status}${fastlySaid(error)}`
        ),
        false
      )
    }
    return new MintFailure(
      new Refusal(
        503,
        'fastly_unavailable',
        'Fastly could not be reached; nothing was minted',
        UNREACHABLE_RETRY_S
      ),
      false
    )
  }
  return new MintFailure(new Refusal(500, 'internal_error', 'the broker failed while minting'), true)
}

export class FastlyMinter {
  readonly client: FastlyTokensClient
  readonly #credential: MintingCredential
  readonly #budget: FastlyBudget

  constructor(client: FastlyTokensClient, credential: MintingCredential, budget: FastlyBudget) {
    this.client = client
    this.#credential = credential
    this.#budget = budget
  }

  /** POST /tokens; throws MintFailure. */
  async mint(order: MintOrder, deadline: number, now: () => number): Promise<CreatedToken> {
    const { username, password, totpSecret } = this.#credential
    try {
      const token = await this.client.createToken(
        {
          username,
          password,
          name: order.name,
          scope: order.scopes,
          ...(order.services.length > 0 ? { services: order.services } : {}),
          expiresAt: order.expiresAt,
          // The client makes the code and, when Fastly refuses one already used in its window
          // (two mints in the same 30 s), tries once more with the next window's.
          ...(totpSecret === undefined ? {} : { totpSecret })
        },
        { deadline }
      )
      this.#budget.record(this.client.rateLimit)
      return token
    } catch (error) {
      if (error instanceof FastlyApiError) this.#budget.record(error.rateLimit)
      throw failureOf(error, this.#budget, now())
    }
  }

  /** DELETE /tokens/self with the token itself: for a token that could not be delivered. */
  async revoke(accessToken: string, deadline: number): Promise<boolean> {
    const own = this.client.withToken(accessToken)
    try {
      await own.revokeTokenCurrent({ deadline })
      return true
    } catch {
      return false
    } finally {
      await own.close()
    }
  }
}
