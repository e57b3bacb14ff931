import type { Answer } from '../answer.js'
import type { RequestContext } from '../context.js'
import { headerValue } from '../context.js'
import { grantError } from '../errors.js'
import type { SimUser } from '../model.js'
import { verifyTotp } from '../totp.js'

export const OTP_REQUIRED =
  'This account uses two-factor authentication: send the one-time password in the Fastly-OTP header.'
export const OTP_INVALID = 'Invalid one-time password.'

/**
 * Token creation for a 2FA account needs a valid `Fastly-OTP` (the current 30-second step or
 * either neighbour). Without one the API answers 400 `2fa.verify`, which tells a client to ask
 * for the code and send the same request again with the header.
 */
export function checkSecondFactor(ctx: RequestContext, user: SimUser): Answer | undefined {
  if (!user.totpKey) return undefined
  const shape = ctx.core.settings.twoFactorShape
  const otp = headerValue(ctx.headers['fastly-otp'])?.trim()
  if (!otp) return grantError(shape, '2fa.verify', OTP_REQUIRED)
  if (!verifyTotp(user.totpKey, otp, ctx.now)) return grantError(shape, '2fa.verify', OTP_INVALID)
  return undefined
}
