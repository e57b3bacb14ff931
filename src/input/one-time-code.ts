/** A one-time code as an authenticator shows it: 6 digits (up to 8 for some apps). Never echoed. */
import { parsed, problem, type Parsed } from './parsed.js'

export function parseOneTimeCode(text: string): Parsed<string> {
  const value = text.trim()
  if (!/^\d{6,8}$/.test(value))
    return problem('expected the 6-digit one-time code of the account (digits only)')
  return parsed(value)
}
