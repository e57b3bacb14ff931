import type { ClockSource } from './clock.js'
import type { FaultRule } from './faults.js'
import type { RequestLogEntry } from './log.js'

export type SimRole = 'user' | 'superuser'
export type BulkPolicy = 'all-or-nothing' | 'skip-unknown'
/**
 * The documented bodies of a refused `POST /tokens` grant (2FA needed, wrong OTP, wrong
 * password, bad scope...): `msg` = `{"msg":"2fa.verify","detail":...}` (what fastlyctl checks),
 * `code` = `{"code":"2fa.verify"}` (the official spec), `nested` =
 * `{"msg":{"error":"2fa.verify","error_description":...}}` (older go-fastly docs).
 */
export type TwoFactorShape = 'msg' | 'code' | 'nested'

/** An account to seed. */
export interface SimUserSeed {
  email: string
  password: string
  /** Base32 TOTP secret: the account then needs a `Fastly-OTP` header to create tokens. */
  totpSecret?: string
  role?: SimRole
  /** Defaults to the demo customer, `demoCustomer0000000000`. */
  customerId?: string
  /** Defaults to a generated 22-character id. */
  id?: string
  /** This account's own hourly write budget (real accounts differ: 1,000, 5,000, 10,000). */
  writeLimitPerHour?: number
}

/** A token to seed for an already seeded user. */
export interface SimTokenSeed {
  /** Email of the owning user. */
  user: string
  accessToken?: string
  id?: string
  name?: string
  /** Space-delimited scopes, default `global`. */
  scope?: string
  services?: string[]
  expiresAt?: Date | string | number | null
  createdAt?: Date | string | number
  lastUsedAt?: Date | string | number | null
  ip?: string | null
  userAgent?: string | null
}

export interface SimulatorOptions {
  port?: number
  host?: string
  users?: SimUserSeed[]
  tokens?: SimTokenSeed[]
  bulkPolicy?: BulkPolicy
  maxBulkIds?: number
  readOnlySelfRevoke?: boolean
  writeLimitPerHour?: number
  twoFactorShape?: TwoFactorShape
  /** Accept each one-time code only once (RFC 6238 5.2). Default false. */
  refuseReusedOtp?: boolean
  clock?: ClockSource
  faults?: FaultRule[]
  seed?: number
  latencyMs?: number
  /**
   * Send `Fastly-RateLimit-Remaining`/`-Reset` on write answers (default true). false models the
   * 2025 recordings of writes that carry none: a client must not depend on them being there.
   */
  writeRateLimitHeaders?: boolean
  /**
   * How long after POST /sudo the grant takes effect (default 0). Users report minutes on the
   * real API; until then POST /tokens with that Fastly-Key answers 403 "You must POST /sudo to
   * access this endpoint", which a client may retry (nothing was minted).
   */
  sudoDelayMs?: number
  /** How many request log entries to keep (oldest dropped first). Default 10,000. */
  logLimit?: number
  /** Called synchronously after each answer with the redacted log entry; keep it cheap. */
  onRequest?: (entry: RequestLogEntry) => void
}

export const DEFAULT_SETTINGS = {
  bulkPolicy: 'all-or-nothing' as BulkPolicy,
  maxBulkIds: 1000,
  readOnlySelfRevoke: true,
  writeLimitPerHour: 1000,
  twoFactorShape: 'msg' as TwoFactorShape,
  refuseReusedOtp: false,
  latencyMs: 0,
  writeRateLimitHeaders: true,
  sudoDelayMs: 0
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`${name}: expected a positive integer, got ${String(value)}`)
  }
  return value
}

/**
 * The behaviour switches a test may flip at runtime (`sim.state.settings.bulkPolicy = ...`).
 * Setters check their input so that a typo fails at the assignment, not as a puzzling answer.
 */
export class SimSettings {
  #bulkPolicy = DEFAULT_SETTINGS.bulkPolicy
  #maxBulkIds = DEFAULT_SETTINGS.maxBulkIds
  #readOnlySelfRevoke = DEFAULT_SETTINGS.readOnlySelfRevoke
  #writeLimitPerHour = DEFAULT_SETTINGS.writeLimitPerHour
  #twoFactorShape = DEFAULT_SETTINGS.twoFactorShape
  #refuseReusedOtp = DEFAULT_SETTINGS.refuseReusedOtp
  #latencyMs = DEFAULT_SETTINGS.latencyMs
  #writeRateLimitHeaders = DEFAULT_SETTINGS.writeRateLimitHeaders
  #sudoDelayMs = DEFAULT_SETTINGS.sudoDelayMs

  constructor(options: SimulatorOptions = {}) {
    this.reset(options)
  }

  /** Back to the defaults, then the given options (what `state.reset()` uses). */
  reset(options: SimulatorOptions = {}): void {
    this.#bulkPolicy = DEFAULT_SETTINGS.bulkPolicy
    this.#maxBulkIds = DEFAULT_SETTINGS.maxBulkIds
    this.#readOnlySelfRevoke = DEFAULT_SETTINGS.readOnlySelfRevoke
    this.#writeLimitPerHour = DEFAULT_SETTINGS.writeLimitPerHour
    this.#twoFactorShape = DEFAULT_SETTINGS.twoFactorShape
    this.#refuseReusedOtp = DEFAULT_SETTINGS.refuseReusedOtp
    this.#latencyMs = DEFAULT_SETTINGS.latencyMs
    this.#writeRateLimitHeaders = DEFAULT_SETTINGS.writeRateLimitHeaders
    this.#sudoDelayMs = DEFAULT_SETTINGS.sudoDelayMs
    if (options.sudoDelayMs !== undefined) this.sudoDelayMs = options.sudoDelayMs
    if (options.bulkPolicy !== undefined) this.bulkPolicy = options.bulkPolicy
    if (options.maxBulkIds !== undefined) this.maxBulkIds = options.maxBulkIds
    if (options.readOnlySelfRevoke !== undefined) this.readOnlySelfRevoke = options.readOnlySelfRevoke
    if (options.writeLimitPerHour !== undefined) this.writeLimitPerHour = options.writeLimitPerHour
    if (options.twoFactorShape !== undefined) this.twoFactorShape = options.twoFactorShape
    if (options.refuseReusedOtp !== undefined) this.refuseReusedOtp = options.refuseReusedOtp
    if (options.latencyMs !== undefined) this.latencyMs = options.latencyMs
    if (options.writeRateLimitHeaders !== undefined)
      this.writeRateLimitHeaders = options.writeRateLimitHeaders
  }

  get bulkPolicy(): BulkPolicy {
    return this.#bulkPolicy
  }
  set bulkPolicy(value: BulkPolicy) {
    if (value !== 'all-or-nothing' && value !== 'skip-unknown') {
      throw new TypeError(`bulkPolicy: expected 'all-or-nothing' or 'skip-unknown', got ${String(value)}`)
    }
    this.#bulkPolicy = value
  }

  get maxBulkIds(): number {
    return this.#maxBulkIds
  }
  set maxBulkIds(value: number) {
    this.#maxBulkIds = positiveInteger('maxBulkIds', value)
  }

  get readOnlySelfRevoke(): boolean {
    return this.#readOnlySelfRevoke
  }
  set readOnlySelfRevoke(value: boolean) {
    if (typeof value !== 'boolean')
      throw new TypeError(`readOnlySelfRevoke: expected a boolean, got ${String(value)}`)
    this.#readOnlySelfRevoke = value
  }

  get writeLimitPerHour(): number {
    return this.#writeLimitPerHour
  }
  set writeLimitPerHour(value: number) {
    this.#writeLimitPerHour = positiveInteger('writeLimitPerHour', value)
  }

  get twoFactorShape(): TwoFactorShape {
    return this.#twoFactorShape
  }
  set twoFactorShape(value: TwoFactorShape) {
    if (value !== 'msg' && value !== 'code' && value !== 'nested') {
      throw new TypeError(`twoFactorShape: expected 'msg', 'code' or 'nested', got ${String(value)}`)
    }
    this.#twoFactorShape = value
  }

  get sudoDelayMs(): number {
    return this.#sudoDelayMs
  }
  set sudoDelayMs(value: number) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new TypeError(`sudoDelayMs: expected a number of milliseconds >= 0, got ${String(value)}`)
    }
    this.#sudoDelayMs = value
  }

  get refuseReusedOtp(): boolean {
    return this.#refuseReusedOtp
  }
  set refuseReusedOtp(value: boolean) {
    if (typeof value !== 'boolean')
      throw new TypeError(`refuseReusedOtp: expected a boolean, got ${String(value)}`)
    this.#refuseReusedOtp = value
  }

  get latencyMs(): number {
    return this.#latencyMs
  }
  set latencyMs(value: number) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new TypeError(`latencyMs: expected a number of milliseconds >= 0, got ${String(value)}`)
    }
    this.#latencyMs = value
  }

  get writeRateLimitHeaders(): boolean {
    return this.#writeRateLimitHeaders
  }
  set writeRateLimitHeaders(value: boolean) {
    if (typeof value !== 'boolean')
      throw new TypeError(`writeRateLimitHeaders: expected a boolean, got ${String(value)}`)
    this.#writeRateLimitHeaders = value
  }

  /** A plain copy, for printing. */
  toJSON(): Record<string, unknown> {
    return {
      bulkPolicy: this.bulkPolicy,
      maxBulkIds: this.maxBulkIds,
      readOnlySelfRevoke: this.readOnlySelfRevoke,
      writeLimitPerHour: this.writeLimitPerHour,
      twoFactorShape: this.twoFactorShape,
      refuseReusedOtp: this.refuseReusedOtp,
      latencyMs: this.latencyMs,
      writeRateLimitHeaders: this.writeRateLimitHeaders
    }
  }
}
