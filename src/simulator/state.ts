import type { CreatedToken, Token } from '../types.js'
import type { SimClock } from './clock.js'
import type { SimCore } from './context.js'
import type { FaultInjector, FaultRule } from './faults.js'
import type { RequestLog, RequestLogEntry } from './log.js'
import { mintToken } from './mint.js'
import type { SimUser } from './model.js'
import type { SimRole, SimSettings, SimTokenSeed, SimulatorOptions, SimUserSeed } from './options.js'
import { cryptoRandom, deriveSeed, seededRandom } from './random.js'
import { tokenFromSeed, userFromSeed, userSeedsOf } from './seeding.js'
import { createdTokenBody, tokenBody } from './shapes.js'

/** An account as the inspection API shows it (no password, no TOTP secret). */
export interface SimUserView {
  id: string
  email: string
  role: SimRole
  customerId: string
  twoFactor: boolean
  writeLimitPerHour?: number
}

function viewOf(user: SimUser): SimUserView {
  const view: SimUserView = {
    id: user.id,
    email: user.email,
    role: user.role,
    customerId: user.customerId,
    twoFactor: user.totpKey !== undefined
  }
  if (user.writeLimitPerHour !== undefined) view.writeLimitPerHour = user.writeLimitPerHour
  return view
}

/**
 * The in-code inspection API (deliberately not reachable over HTTP): look at the simulated
 * world, seed it, flip settings and faults, move the clock, read the redacted request log.
 */
export class SimulatorState {
  readonly #core: SimCore
  readonly #faults: FaultInjector
  readonly #log: RequestLog
  readonly #options: SimulatorOptions
  readonly #seed: number

  constructor(
    core: SimCore,
    faults: FaultInjector,
    log: RequestLog,
    options: SimulatorOptions,
    seed: number
  ) {
    this.#core = core
    this.#faults = faults
    this.#log = log
    this.#options = options
    this.#seed = seed
  }

  /** The seed in use (random when none was given): pass it back as `seed` to replay a run. */
  get seed(): number {
    return this.#seed
  }

  /** Mutable switches, checked on assignment: bulkPolicy, maxBulkIds, readOnlySelfRevoke, ... */
  get settings(): SimSettings {
    return this.#core.settings
  }

  /** The live fault rules: push to add one, assign an array to replace them. */
  get faults(): FaultRule[] {
    return this.#faults.rules
  }
  set faults(rules: FaultRule[]) {
    this.#faults.rules = rules
  }

  /** How many times a rule has fired (the rule object itself, as installed). */
  faultsFired(rule: FaultRule): number {
    return this.#faults.timesFired(rule)
  }

  /** now(), advance(ms), set(epochMs): works on an injected clock too (as an offset on top of it). */
  get clock(): SimClock {
    return this.#core.clock
  }

  /** Every live token, in the list shape of the API, oldest first. */
  tokens(): Token[] {
    return Array.from(this.#core.store.allTokens(), tokenBody)
  }

  token(id: string): Token | undefined {
    const token = this.#core.store.tokenById(id)
    return token && tokenBody(token)
  }

  findByAccessToken(accessToken: string): Token | undefined {
    const token = this.#core.store.tokenByAccess(accessToken)
    return token && tokenBody(token)
  }

  users(): SimUserView[] {
    return this.#core.store.users().map(viewOf)
  }

  /** The request log, oldest first, credentials redacted. */
  requests(): RequestLogEntry[] {
    return this.#log.entries()
  }

  /** Writes the user has spent in the current clock hour. */
  writesUsed(email: string): number {
    const user = this.#core.store.userByEmail(email)
    if (!user) throw new Error(`writesUsed: no seeded user has the email ${email}`)
    return this.#core.budget.used(user, this.#core.clock.now())
  }

  addUser(seed: SimUserSeed): SimUserView {
    const user = userFromSeed(this.#core, seed, 'addUser(seed)')
    this.#core.store.addUser(user)
    return viewOf(user)
  }

  /** Seeds a token directly (no HTTP, no rate limit); the answer holds its access token. */
  addToken(seed: SimTokenSeed): CreatedToken {
    const { user, input } = tokenFromSeed(this.#core, seed, 'addToken(seed)')
    return createdTokenBody(mintToken(this.#core, user, input, this.#core.clock.now()))
  }

  /** Seeds `count` tokens alike (names get `-1`, `-2`... suffixes); cheap enough for 10,000+. */
  addTokens(count: number, seed: Omit<SimTokenSeed, 'id' | 'accessToken'>): CreatedToken[] {
    if (!Number.isInteger(count) || count < 0)
      throw new TypeError(`addTokens(count): expected an integer >= 0, got ${count}`)
    if ('id' in seed || 'accessToken' in seed) {
      throw new TypeError(
        'addTokens(seed): id and accessToken are drawn per token; use addToken for fixed values'
      )
    }
    const { user, input } = tokenFromSeed(this.#core, seed, 'addTokens(seed)')
    const now = this.#core.clock.now()
    const base = seed.name ?? 'bulk-token'
    const created: CreatedToken[] = []
    for (let i = 1; i <= count; i++) {
      const token = mintToken(this.#core, user, { ...input, name: `${base}-${i}` }, now)
      created.push(createdTokenBody(token))
    }
    return created
  }

  /** Revokes out of band (as if someone used the UI); true if the token was live. */
  revokeToken(id: string): boolean {
    const token = this.#core.store.tokenById(id)
    return token ? this.#core.store.removeToken(token) : false
  }

  /**
   * Back to the state right after start: seeded users and tokens (new random secrets unless a
   * seed or explicit values were given), start settings and faults, fresh dice, empty log and
   * budgets, clock offset dropped.
   */
  reset(): void {
    const core = this.#core
    core.store.clear()
    core.budget.clear()
    core.clock.reset()
    core.settings.reset(this.#options)
    this.#log.clear()
    this.#faults.rules = [...(this.#options.faults ?? [])]
    this.#faults.reseed(this.#seed)
    core.ids = idSource(this.#options.seed)
    populate(core, this.#options)
  }
}

/** Ids are reproducible only when the caller chose a seed; otherwise access tokens are unguessable. */
export function idSource(seed: number | undefined) {
  return seed === undefined ? cryptoRandom() : seededRandom(deriveSeed(seed, 1))
}

/** Seeds users (or the demo accounts) and tokens from the start options. */
export function populate(core: SimCore, options: SimulatorOptions): void {
  const users = userSeedsOf(options.users)
  if (!Array.isArray(users)) throw new TypeError('users: expected an array of user seeds')
  users.forEach((seed, index) => core.store.addUser(userFromSeed(core, seed, `users[${index}]`)))
  const tokens = options.tokens ?? []
  if (!Array.isArray(tokens)) throw new TypeError('tokens: expected an array of token seeds')
  const now = core.clock.now()
  tokens.forEach((seed, index) => {
    const { user, input } = tokenFromSeed(core, seed, `tokens[${index}]`)
    mintToken(core, user, input, now)
  })
}
