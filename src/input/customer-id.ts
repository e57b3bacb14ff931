/** A customer id, for a superuser's view of a whole customer's tokens. It goes into a request path. */
import { parsed, problem, type Parsed } from './parsed.js'
import { logText } from '../text/log-text.js'

export function parseCustomerId(text: string): Parsed<string> {
  const value = text.trim()
  if (!/^[A-Za-z0-9]{1,64}$/.test(value))
    return problem(`expected an alphanumeric customer id, got "${logText(value)}"`)
  return parsed(value)
}
