import type { SimCore } from './context.js'
import { DEMO_ACCOUNTS, DEMO_CUSTOMER_ID } from './demo.js'
import { isAlphanumericId, newId } from './ids.js'
import type { MintInput } from './mint.js'
import type { SimUser } from './model.js'
import type { SimTokenSeed, SimUserSeed } from './options.js'
import { parseScope } from './rules/scope.js'
import { toEpochMs } from './timestamps.js'
import { decodeBase32 } from './totp.js'

function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${what}: expected a non-empty string`)
  return value
}

/** Checks one user seed and turns it into an account; errors name the seed and the field. */
export function userFromSeed(core: SimCore, seed: SimUserSeed, where: string): SimUser {
  if (seed === null || typeof seed !== 'object') throw new TypeError(`${where}: expected a user seed object`)
  const email = requireString(seed.email, `${where}.email`)
  const password = requireString(seed.password, `${where}.password`)
  const role = seed.role ?? 'user'
  if (role !== 'user' && role !== 'superuser') {
    throw new TypeError(`${where}.role: expected 'user' or 'superuser', got ${String(role)}`)
  }
  const customerId = seed.customerId ?? DEMO_CUSTOMER_ID
  if (!isAlphanumericId(customerId)) throw new TypeError(`${where}.customerId: expected an alphanumeric id`)
  if (seed.id !== undefined && !isAlphanumericId(seed.id))
    throw new TypeError(`${where}.id: expected an alphanumeric id`)
  let id = seed.id
  while (id === undefined || (seed.id === undefined && core.store.userById(id))) id = newId(core.ids)
  const limit = seed.writeLimitPerHour
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new TypeError(`${where}.writeLimitPerHour: expected a positive integer, got ${String(limit)}`)
  }
  const user: SimUser = { id, email, password, role, customerId }
  if (seed.totpSecret !== undefined) {
    try {
      user.totpKey = decodeBase32(seed.totpSecret)
    } catch (error) {
      throw new TypeError(`${where}.totpSecret: ${(error as Error).message}`)
    }
  }
  if (limit !== undefined) user.writeLimitPerHour = limit
  return user
}

function optionalTime(
  value: Date | string | number | null | undefined,
  what: string
): number | null | undefined {
  return value === undefined || value === null ? value : toEpochMs(value, what)
}

/** Checks one token seed; the owner must already be seeded. */
export function tokenFromSeed(
  core: SimCore,
  seed: SimTokenSeed,
  where: string
): { user: SimUser; input: MintInput } {
  if (seed === null || typeof seed !== 'object') throw new TypeError(`${where}: expected a token seed object`)
  const email = requireString(seed.user, `${where}.user`)
  const user = core.store.userByEmail(email)
  if (!user) throw new Error(`${where}.user: no seeded user has the email ${email}`)
  const scope = parseScope([seed.scope ?? 'global'])
  if (!scope.ok) throw new TypeError(`${where}.scope: unknown scope ${scope.unknown.join(', ')}`)
  const services = seed.services ?? []
  if (!Array.isArray(services) || !services.every(s => typeof s === 'string' && isAlphanumericId(s))) {
    throw new TypeError(`${where}.services: expected an array of alphanumeric service ids`)
  }
  if (seed.id !== undefined && !isAlphanumericId(seed.id))
    throw new TypeError(`${where}.id: expected an alphanumeric id`)
  if (seed.id !== undefined && core.store.hasTokenId(seed.id))
    throw new Error(`${where}.id: ${seed.id} is already in use`)
  if (seed.accessToken !== undefined) {
    if (typeof seed.accessToken !== 'string' || !/^[A-Za-z0-9_-]{8,256}$/.test(seed.accessToken)) {
      throw new TypeError(`${where}.accessToken: expected 8 to 256 characters of A-Z, a-z, 0-9, - and _`)
    }
    if (core.store.hasAccessToken(seed.accessToken)) throw new Error(`${where}.accessToken: already in use`)
  }
  const input: MintInput = {
    name: seed.name ?? '',
    scopes: scope.scopes,
    services: [...new Set(services)],
    expiresAt: optionalTime(seed.expiresAt, `${where}.expiresAt`) ?? null
  }
  if (seed.id !== undefined) input.id = seed.id
  if (seed.accessToken !== undefined) input.accessToken = seed.accessToken
  const createdAt = optionalTime(seed.createdAt, `${where}.createdAt`)
  if (createdAt != null) input.createdAt = createdAt
  input.lastUsedAt = optionalTime(seed.lastUsedAt, `${where}.lastUsedAt`) ?? null
  if (seed.ip !== undefined) input.ip = seed.ip
  if (seed.userAgent !== undefined) input.userAgent = seed.userAgent
  return { user, input }
}

/** The accounts to seed: the given ones, or the documented demo accounts. */
export function userSeedsOf(users: SimUserSeed[] | undefined): readonly SimUserSeed[] {
  return users ?? DEMO_ACCOUNTS
}
