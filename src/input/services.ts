/** Service ids a token is limited to: alphanumeric, as the API's ids are; none means every service. */
import { splitList } from './list.js'
import { parsed, problem, type Parsed } from './parsed.js'
import { logText } from '../text/log-text.js'

export function parseServices(text: string): Parsed<string[]> {
  const services = splitList(text)
  const bad = services.find(s => !/^[A-Za-z0-9]{1,64}$/.test(s))
  if (bad !== undefined)
    return problem(`expected alphanumeric service ids separated by commas or newlines, got "${logText(bad)}"`)
  return parsed(services)
}
