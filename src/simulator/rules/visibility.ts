import type { SimUser, TokenRecord } from '../model.js'

/**
 * How far a caller reaches a token: its own, another user's of the same customer (superusers
 * may manage those), another user's it may not touch, or nothing at all. Tokens of other
 * customers count as unknown, so that their existence never leaks through a 403.
 */
export type Reach = 'own' | 'customer' | 'forbidden' | 'unknown'

export function reachOf(user: SimUser, target: TokenRecord | undefined): Reach {
  if (!target || target.customerId !== user.customerId) return 'unknown'
  if (target.userId === user.id) return 'own'
  return user.role === 'superuser' ? 'customer' : 'forbidden'
}
