import type { Answer } from '../answer.js'
import type { RequestContext } from '../context.js'
import { headerValue } from '../context.js'
import { grantError } from '../errors.js'
import type { SimUser } from '../model.js'
import { matchedTotpStep } from '../totp.js'

export const OTP_REQUIRED =
  'This account uses two-factor authentication: send the one-time password in the Fastly-OTP header.'
export const OTP_INVALID = 'Invalid one-time password.'

export const OTP_REUSED = 'This one-time password was already used.'

/**
 * Token creation for a 2FA account needs a valid `Fastly-OTP` (the current 30-second step or
 * either neighbour). Without one the API answers 400 `2fa.verify`, which tells a client to ask
 * for the code and send the same request again with the header. With `refuseReusedOtp` a code
 * is accepted once (RFC 6238 5.2: a verifier must not accept the same code twice); whether Fastly
 * enforces that is not known, so it is off by default.
 */
export function checkSecondFactor(ctx: RequestContext, user: SimUser): Answer | undefined {
  if (!user.totpKey) return undefined
  const shape = ctx.core.settings.twoFactorShape
  const otp = headerValue(ctx.headers['fastly-otp'])?.trim()
  if (!otp) return grantError(shape, '2fa.verify', OTP_REQUIRED)
  const step = matchedTotpStep(user.totpKey, otp, ctx.now)
  if (step === undefined) return grantError(shape, '2fa.verify', OTP_INVALID)
  if (ctx.core.settings.refuseReusedOtp) {
    const used = (user.usedOtpSteps ??= new Set())
    if (used.has(step)) return grantError(shape, '2fa.verify', OTP_REUSED)
    used.add(step)
  }
  return undefined
}
