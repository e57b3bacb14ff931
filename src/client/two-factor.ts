import { FastlyApiError } from '../http/errors.js'
import { logText } from '../text/log-text.js'

/** The code the API uses for "a one-time password is needed or was wrong", in all three of its
 *  documented body shapes: `{"msg":"2fa.verify"}`, `{"code":"2fa.verify"}` and
 *  `{"msg":{"error":"2fa.verify","error_description":"..."}}`. */
const TWO_FACTOR_CODE = '2fa.verify'

/**
 * Token creation for an account with two-factor authentication needs a one-time password
 * (`otp`), or the one given was refused. `otpWasSent` tells the two apart.
 */
export class TwoFactorRequiredError extends FastlyApiError {
  override name = 'TwoFactorRequiredError'
  readonly otpWasSent: boolean

  constructor(source: FastlyApiError, otpWasSent: boolean) {
    const fields = FastlyApiError.fieldsOf(source)
    // The API's words, when they say more than the code itself (already redacted).
    const words = fields.apiMessage !== TWO_FACTOR_CODE ? fields.apiMessage : fields.detail
    const said = words === undefined ? '' : ` (${logText(words)})`
    const advice = otpWasSent
      ? `the one-time password was refused${said}; codes change every 30 seconds, so send a fresh one`
      : `the account uses two-factor authentication, so a one-time password is needed${said}: ` +
        'pass otp (a code from the authenticator, or totp(secret))'
    super(`Fastly API ${fields.method} ${fields.path} answered ${fields.status ?? 'an error'}: ${advice}`, {
      ...fields,
      code: TWO_FACTOR_CODE
    })
    this.otpWasSent = otpWasSent
  }
}

/** Is this failure the API's two-factor challenge? */
export function isTwoFactorChallenge(error: unknown): error is FastlyApiError {
  return (
    error instanceof FastlyApiError &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500 &&
    (error.code === TWO_FACTOR_CODE || error.apiMessage === TWO_FACTOR_CODE)
  )
}
