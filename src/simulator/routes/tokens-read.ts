import type { Answer } from '../answer.js'
import { isAnswer, jsonAnswer } from '../answer.js'
import type { RequestContext } from '../context.js'
import { forbidden, tokenNotFound } from '../errors.js'
import { authenticateKey } from '../rules/auth.js'
import { reachOf } from '../rules/visibility.js'
import { tokenBody } from '../shapes.js'

/** GET /tokens/self: the token that authenticates the request (its use just recorded). */
export function getTokenCurrent(ctx: RequestContext): Answer {
  const caller = authenticateKey(ctx)
  if (isAnswer(caller)) return caller
  return jsonAnswer(200, tokenBody(caller.token))
}

/**
 * GET /tokens/{token_id}: own tokens, and any token of the customer for a superuser. Another
 * user's token of the same customer is 403; other customers' tokens look like unknown ids.
 */
export function getToken(ctx: RequestContext): Answer {
  const caller = authenticateKey(ctx)
  if (isAnswer(caller)) return caller
  const id = ctx.params.token_id!
  const target = ctx.core.store.tokenById(id)
  switch (reachOf(caller.user, target)) {
    case 'unknown':
      return tokenNotFound(`No token with id ${id}.`)
    case 'forbidden':
      return forbidden('Only superusers may read the tokens of other users.')
    default:
      return jsonAnswer(200, tokenBody(target!))
  }
}

/**
 * GET /tokens: every live token of the authenticated user, expired ones included (they are
 * still records until revoked; only authenticating with them fails), in creation order.
 */
export function listTokensUser(ctx: RequestContext): Answer {
  const caller = authenticateKey(ctx)
  if (isAnswer(caller)) return caller
  return jsonAnswer(200, Array.from(ctx.core.store.tokensOfUser(caller.user.id), tokenBody))
}
