import type { Answer } from '../answer.js'
import { isAnswer, noContent } from '../answer.js'
import type { RequestContext } from '../context.js'
import { forbidden, readOnlyRefused, tokenNotFound } from '../errors.js'
import type { Caller } from '../rules/auth.js'
import { authenticateKey, requireWriteScope } from '../rules/auth.js'
import { chargeWrite } from '../rules/rate-limit.js'
import { isReadOnly } from '../rules/scope.js'
import { reachOf } from '../rules/visibility.js'

/**
 * A token may always revoke itself, except that a read-only (`global:read`) token may do so
 * only when `readOnlySelfRevoke` is on: the record is silent there, and the action's post step
 * depends on the answer.
 */
function selfRevokeRefusal(ctx: RequestContext, caller: Caller): Answer | undefined {
  if (isReadOnly(caller.token.scopes) && !ctx.core.settings.readOnlySelfRevoke) return readOnlyRefused()
  return undefined
}

/** DELETE /tokens/self: 204, empty body; the key stops working at once. */
export function revokeTokenCurrent(ctx: RequestContext): Answer {
  const caller = authenticateKey(ctx)
  if (isAnswer(caller)) return caller
  const refused = chargeWrite(ctx, caller.user) ?? selfRevokeRefusal(ctx, caller)
  if (refused) return refused
  ctx.core.store.removeToken(caller.token)
  return noContent()
}

/**
 * DELETE /tokens/{token_id}: users revoke their own tokens, superusers any token of their
 * customer; another user's token is 403, an unknown or other customer's id 404.
 */
export function revokeToken(ctx: RequestContext): Answer {
  const caller = authenticateKey(ctx)
  if (isAnswer(caller)) return caller
  const limited = chargeWrite(ctx, caller.user)
  if (limited) return limited
  const id = ctx.params.token_id!
  const target = ctx.core.store.tokenById(id)
  // Revoking itself by id follows the same rule as DELETE /tokens/self.
  const refused = target === caller.token ? selfRevokeRefusal(ctx, caller) : requireWriteScope(caller.token)
  if (refused) return refused
  switch (reachOf(caller.user, target)) {
    case 'unknown':
      return tokenNotFound(`No token with id ${id}.`)
    case 'forbidden':
      return forbidden('Only superusers may revoke the tokens of other users.')
    default:
      ctx.core.store.removeToken(target!)
      return noContent()
  }
}
