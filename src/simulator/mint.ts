import type { SimCore } from './context.js'
import { newAccessToken, newId } from './ids.js'
import type { SimUser, TokenRecord } from './model.js'
import { wholeSeconds } from './timestamps.js'

export interface MintInput {
  name: string
  scopes: string[]
  services: string[]
  expiresAt: number | null
  id?: string
  accessToken?: string
  createdAt?: number
  lastUsedAt?: number | null
  ip?: string | null
  userAgent?: string | null
  automation?: { role: string; tlsAccess: boolean }
}

/**
 * Creates and stores a token for a user: the one place ids and secrets are drawn, used by
 * POST /tokens and by seeding alike so both produce the same kind of record.
 */
export function mintToken(core: SimCore, user: SimUser, input: MintInput, now: number): TokenRecord {
  let id = input.id
  while (id === undefined || (input.id === undefined && core.store.hasTokenId(id))) id = newId(core.ids)
  let accessToken = input.accessToken
  while (
    accessToken === undefined ||
    (input.accessToken === undefined && core.store.hasAccessToken(accessToken))
  ) {
    accessToken = newAccessToken(core.ids)
  }
  const createdAt = wholeSeconds(input.createdAt ?? now)
  const token: TokenRecord = {
    id,
    accessToken,
    userId: user.id,
    customerId: user.customerId,
    name: input.name,
    scopes: input.scopes,
    services: input.services,
    createdAt,
    updatedAt: createdAt,
    expiresAt: input.expiresAt === null ? null : wholeSeconds(input.expiresAt),
    lastUsedAt: input.lastUsedAt == null ? null : wholeSeconds(input.lastUsedAt),
    ip: input.ip ?? null,
    userAgent: input.userAgent ?? null,
    sudoExpiresAt: null,
    ...(input.automation ? { automation: input.automation } : {})
  }
  core.store.insertToken(token)
  return token
}
