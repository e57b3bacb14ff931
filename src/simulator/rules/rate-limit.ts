import type { RateLimitState } from '../../types.js'
import type { Answer } from '../answer.js'
import type { RequestContext } from '../context.js'
import { headerValue } from '../context.js'
import { rateLimited } from '../errors.js'
import type { SimUser } from '../model.js'

const HOUR_MS = 3_600_000

interface Window {
  hour: number
  used: number
}

/**
 * The documented write budget: a number of non-GET requests per user per fixed clock hour
 * (the recorded `Fastly-RateLimit-Reset` values fall on the hour), shared by all of the user's
 * tokens. One Map entry per user that wrote; a stale window counts as empty.
 */
export class WriteBudget {
  readonly #windows = new Map<string, Window>()
  readonly #limitFor: (user: SimUser | undefined) => number

  constructor(limitFor: (user: SimUser | undefined) => number) {
    this.#limitFor = limitFor
  }

  /** Counts one write if the budget allows it; the state is what the answer's headers report. */
  charge(user: SimUser, now: number): { allowed: boolean; state: RateLimitState } {
    const hour = Math.floor(now / HOUR_MS)
    let window = this.#windows.get(user.id)
    if (!window || window.hour !== hour) {
      window = { hour, used: 0 }
      this.#windows.set(user.id, window)
    }
    const limit = this.#limitFor(user)
    const allowed = window.used < limit
    if (allowed) window.used++
    return {
      allowed,
      state: { remaining: Math.max(0, limit - window.used), resetEpochSeconds: (hour + 1) * 3600 }
    }
  }

  /** The state without counting anything (answers that did not spend a write). */
  peek(user: SimUser | undefined, now: number): RateLimitState {
    const hour = Math.floor(now / HOUR_MS)
    return {
      remaining: Math.max(0, this.#limitFor(user) - (user ? this.used(user, now) : 0)),
      resetEpochSeconds: (hour + 1) * 3600
    }
  }

  used(user: SimUser, now: number): number {
    const window = this.#windows.get(user.id)
    return window && window.hour === Math.floor(now / HOUR_MS) ? window.used : 0
  }

  clear(): void {
    this.#windows.clear()
  }
}

/**
 * Spends one write for an identified caller, or answers 429 when the hour's budget is gone.
 * Called as soon as the caller is known and before the request is validated, so refused
 * writes (400, 403, 404) cost a write too, as any non-read request does.
 */
export function chargeWrite(ctx: RequestContext, user: SimUser): Answer | undefined {
  const { allowed, state } = ctx.core.budget.charge(user, ctx.now)
  ctx.rate = state
  return allowed ? undefined : rateLimited()
}

/** Headers for an answer that spent nothing: the key's owner's budget if the key is live, else a full one. */
export function currentRate(ctx: RequestContext): RateLimitState {
  if (ctx.rate) return ctx.rate
  let user = ctx.caller?.user
  if (!user) {
    const key = headerValue(ctx.headers['fastly-key'])
    const token = key ? ctx.core.store.tokenByAccess(key) : undefined
    user = token ? ctx.core.store.userById(token.userId) : undefined
  }
  return ctx.core.budget.peek(user, ctx.now)
}
