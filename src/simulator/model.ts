import type { SimRole } from './options.js'

/** A seeded account. */
export interface SimUser {
  id: string
  email: string
  password: string
  /** Decoded TOTP key when the account has two-factor authentication. */
  totpKey?: Buffer
  /** Time steps whose code was accepted (kept only with the refuseReusedOtp setting). */
  usedOtpSteps?: Set<number>
  role: SimRole
  customerId: string
  writeLimitPerHour?: number
}

/** A live token. Times are epoch milliseconds, whole seconds, as the API keeps them. */
export interface TokenRecord {
  id: string
  accessToken: string
  userId: string
  customerId: string
  name: string
  scopes: string[]
  services: string[]
  createdAt: number
  updatedAt: number
  expiresAt: number | null
  lastUsedAt: number | null
  ip: string | null
  userAgent: string | null
  sudoExpiresAt: number | null
  /**
   * Set for an automation token (reference §5.3): tied to no person, so kept out of the user's
   * and the customer's token lists and listed by GET /automation-tokens instead. `userId` holds
   * its creator, a superuser, which is whom it authenticates as.
   */
  automation?: { role: string; tlsAccess: boolean }
  /** When the last sudo grant takes effect (POST /sudo time plus the sudoDelayMs setting). */
  sudoFrom?: number
}

/**
 * Users and tokens with the indexes every request needs: by id, by access token (each
 * authenticated request), by user (GET /tokens) and by customer (GET /customer/{id}/tokens).
 * Every lookup is a Map hit, and the per-user and per-customer Sets keep creation order, so
 * 10,000+ tokens cost a few megabytes and no scan.
 */
export class SimStore {
  readonly #usersById = new Map<string, SimUser>()
  readonly #usersByEmail = new Map<string, SimUser>()
  readonly #tokensById = new Map<string, TokenRecord>()
  readonly #tokensByAccess = new Map<string, TokenRecord>()
  readonly #tokensByUser = new Map<string, Set<TokenRecord>>()
  readonly #tokensByCustomer = new Map<string, Set<TokenRecord>>()
  readonly #automationByCustomer = new Map<string, Set<TokenRecord>>()

  addUser(user: SimUser): void {
    const email = user.email.toLowerCase()
    if (this.#usersByEmail.has(email)) throw new Error(`users: the email ${user.email} is seeded twice`)
    if (this.#usersById.has(user.id)) throw new Error(`users: the id ${user.id} is seeded twice`)
    this.#usersById.set(user.id, user)
    this.#usersByEmail.set(email, user)
  }

  userById(id: string): SimUser | undefined {
    return this.#usersById.get(id)
  }

  /** Emails compare case-insensitively, as logins do. */
  userByEmail(email: string): SimUser | undefined {
    return this.#usersByEmail.get(email.toLowerCase())
  }

  users(): SimUser[] {
    return [...this.#usersById.values()]
  }

  hasTokenId(id: string): boolean {
    return this.#tokensById.has(id)
  }

  hasAccessToken(accessToken: string): boolean {
    return this.#tokensByAccess.has(accessToken)
  }

  insertToken(token: TokenRecord): void {
    if (this.#tokensById.has(token.id)) throw new Error(`tokens: the id ${token.id} is already in use`)
    if (this.#tokensByAccess.has(token.accessToken))
      throw new Error('tokens: that access token is already in use')
    this.#tokensById.set(token.id, token)
    this.#tokensByAccess.set(token.accessToken, token)
    if (token.automation) {
      indexInto(this.#automationByCustomer, token.customerId, token)
      return
    }
    indexInto(this.#tokensByUser, token.userId, token)
    indexInto(this.#tokensByCustomer, token.customerId, token)
  }

  /** The automation tokens of a customer, in creation order. */
  automationTokensOf(customerId: string): Iterable<TokenRecord> {
    return this.#automationByCustomer.get(customerId) ?? []
  }

  /** Revocation: the token disappears from every index at once. */
  removeToken(token: TokenRecord): boolean {
    if (this.#tokensById.get(token.id) !== token) return false
    this.#tokensById.delete(token.id)
    this.#tokensByAccess.delete(token.accessToken)
    this.#tokensByUser.get(token.userId)?.delete(token)
    this.#tokensByCustomer.get(token.customerId)?.delete(token)
    this.#automationByCustomer.get(token.customerId)?.delete(token)
    return true
  }

  tokenById(id: string): TokenRecord | undefined {
    return this.#tokensById.get(id)
  }

  tokenByAccess(accessToken: string): TokenRecord | undefined {
    return this.#tokensByAccess.get(accessToken)
  }

  tokensOfUser(userId: string): Iterable<TokenRecord> {
    return this.#tokensByUser.get(userId) ?? []
  }

  tokensOfCustomer(customerId: string): Iterable<TokenRecord> {
    return this.#tokensByCustomer.get(customerId) ?? []
  }

  allTokens(): Iterable<TokenRecord> {
    return this.#tokensById.values()
  }

  clear(): void {
    this.#usersById.clear()
    this.#usersByEmail.clear()
    this.#tokensById.clear()
    this.#tokensByAccess.clear()
    this.#tokensByUser.clear()
    this.#tokensByCustomer.clear()
    this.#automationByCustomer.clear()
  }
}

function indexInto(index: Map<string, Set<TokenRecord>>, key: string, token: TokenRecord): void {
  let set = index.get(key)
  if (!set) {
    set = new Set()
    index.set(key, set)
  }
  set.add(token)
}
