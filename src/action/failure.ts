/**
 * One line for any failure, for logs, annotations and the summary. The client's errors are built
 * from redacted parts (status, Fastly's message, method and path); anything else is reduced to its
 * message. Never empty: an empty warning helps nobody.
 */
import { FastlyApiError, TwoFactorRequiredError } from '../client/index.js'
import { logText } from '../text/log-text.js'

export function describeFailure(error: unknown): string {
  if (error instanceof TwoFactorRequiredError) {
    return error.otpWasSent
      ? `${error.message.split(':')[0]}: the one-time code was refused; check the totp-secret (or pass a fresh otp)`
      : `${error.message.split(':')[0]}: the account uses two-factor authentication; set totp-secret (the authenticator's base32 secret) or otp`
  }
  if (error instanceof FastlyApiError)
    return (
      error.message ||
      `Fastly API ${error.method} ${error.path} failed (${error.status ?? error.code ?? 'no answer'})`
    )
  if (error instanceof Error) return error.message || error.name || 'an error without a message'
  return String(error) || 'an error without a message'
}

/** `HTTP 503: message` style reason for a table cell: the status first, then Fastly's words. */
export function shortReason(error: unknown): string {
  if (error instanceof FastlyApiError) {
    const status = error.status === undefined ? (error.code ?? 'no answer') : `HTTP ${error.status}`
    return error.apiMessage
      ? `${status}: ${logText(error.apiMessage)}`
      : `${status}: ${describeFailure(error)}`
  }
  return describeFailure(error)
}
