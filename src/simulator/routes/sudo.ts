import type { Answer } from '../answer.js'
import { isAnswer, jsonAnswer } from '../answer.js'
import type { RequestContext } from '../context.js'
import { badRequest, forbidden, legacyError, MESSAGES } from '../errors.js'
import { parseParams } from '../params.js'
import { authenticateKey, passwordMatches, requireWriteScope } from '../rules/auth.js'
import { chargeWrite } from '../rules/rate-limit.js'
import { formatSudoTime, parseDateTime, wholeSeconds } from '../timestamps.js'

/** "If blank, sudo access expires five minutes after the request" (SudoResponse in the spec). */
export const SUDO_GRANT_MS = 5 * 60_000

/**
 * POST /sudo: re-enter the account password to put the calling token in sudo mode, which
 * POST /tokens with a Fastly-Key then requires. go-fastly sends a form (with username),
 * the official SudoApi JSON; the CLI sends the password alone. The grant shows on the token
 * as `sudo_expires_at`.
 */
export function requestSudo(ctx: RequestContext): Answer {
  const caller = authenticateKey(ctx)
  if (isAnswer(caller)) return caller
  const limited = chargeWrite(ctx, caller.user) ?? requireWriteScope(caller.token)
  if (limited) return limited

  const params = parseParams(ctx.headers['content-type'], ctx.body)
  if (!params) return badRequest('The request body is not a JSON object.')
  const password = params.get('password')
  if (!password) return badRequest('password is required.')
  const username = params.get('username')
  if (username && username.toLowerCase() !== caller.user.email.toLowerCase()) {
    return forbidden('The username is not the owner of this token.')
  }
  if (!passwordMatches(caller.user, password)) return forbidden('The password does not match the account.')

  let expiry = ctx.now + SUDO_GRANT_MS
  const requested = params.get('expiry_time')
  if (requested) {
    const parsed = parseDateTime(requested)
    if (parsed === undefined)
      return legacyError(422, MESSAGES.badRequest, 'expiry_time is not an ISO 8601 date-time.')
    if (parsed <= ctx.now) return badRequest('expiry_time must be in the future.')
    expiry = parsed
  }
  caller.token.sudoExpiresAt = wholeSeconds(expiry)
  caller.token.sudoFrom = ctx.now + ctx.core.settings.sudoDelayMs
  return jsonAnswer(200, { expiry_time: formatSudoTime(caller.token.sudoExpiresAt) })
}
