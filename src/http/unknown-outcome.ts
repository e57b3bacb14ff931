import { FastlyApiError } from './errors.js'
import { failedBeforeSending } from './network-failure.js'

/**
 * Whether the server may have carried out a call that failed: the failure says nothing about
 * whether POST /tokens minted (or a DELETE revoked). True for a 5xx (the API may fail after
 * acting), a 2xx whose body could not be read (it acted), a timeout, and a connection lost after
 * the request was written. False for an answer that refused the request (3xx not followed, 4xx,
 * 429) and for a connection that never carried a byte. An abort or a passed deadline counts only
 * when an attempt had been sent before it: a repeated GET or DELETE may have reached the server
 * then, while a POST is repeated only after attempts that never left, so for a POST this errs on
 * the side of "may have".
 */
export function mayHaveTakenEffect(error: unknown): boolean {
  if (!(error instanceof FastlyApiError)) return false
  const { status, code } = error
  if (status !== undefined) return status >= 500 || (status >= 200 && status < 300)
  if (code === 'aborted' || code === 'deadline') return (error.attempts ?? 0) > 0
  if (code === undefined || code === 'timeout') return true
  return !failedBeforeSending(code)
}
