import type { Answer } from '../answer.js'
import { isAnswer, jsonAnswer } from '../answer.js'
import type { RequestContext } from '../context.js'
import { forbidden } from '../errors.js'
import { authenticateKey } from '../rules/auth.js'
import { tokenBody } from '../shapes.js'

/** GET /customer/{customer_id}/tokens: every token of the customer, for that customer's superusers only. */
export function listTokensCustomer(ctx: RequestContext): Answer {
  const caller = authenticateKey(ctx)
  if (isAnswer(caller)) return caller
  const customerId = ctx.params.customer_id!
  if (caller.user.role !== 'superuser' || caller.user.customerId !== customerId) {
    return forbidden("Only a superuser of the customer may list the customer's tokens.")
  }
  return jsonAnswer(200, Array.from(ctx.core.store.tokensOfCustomer(customerId), tokenBody))
}
