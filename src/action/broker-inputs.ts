/**
 * `broker-url` and `broker-audience`: the keyless flow. The step trades the runner's OIDC ID
 * token for a Fastly token at the broker, so the workflow holds no Fastly secret at all; giving
 * one anyway (password, api-token, username, otp, totp-secret) is a conflict, not a fallback. The
 * broker names the token after the run's claims, so `name` is refused too.
 */
import { parseApiUrl } from './api-url.js'
import type { InputReader } from './input-reader.js'
import { parseTokenShape, type TokenShape } from './mint-inputs.js'

export const DEFAULT_BROKER_AUDIENCE = 'fastly-token-broker'

export interface BrokerConfig extends TokenShape {
  url: string
  /** The `aud` the ID token is asked for (the broker's configured audience). */
  audience: string
}

const SECRET_INPUTS = ['password', 'api-token', 'username', 'otp', 'totp-secret'] as const

/** Only called when broker-url is given. */
export function parseBrokerInputs(input: InputReader): BrokerConfig {
  const url = parseApiUrl(input.read('broker-url'), 'https://fastly-broker.example.com')
  if (!url.ok) input.fail('broker-url', url.problem)
  const audience = input.read('broker-audience') || DEFAULT_BROKER_AUDIENCE
  if (!/^[\x21-\x7e]{1,255}$/.test(audience))
    input.fail('broker-audience', 'expected up to 255 printable characters without blanks')
  for (const name of SECRET_INPUTS) {
    if (input.read(name))
      input.fail(
        name,
        'not used with broker-url: the broker mints the token, so the workflow needs no Fastly secret (remove one of the two)'
      )
  }
  if (input.read('name'))
    input.fail(
      'name',
      'not used with broker-url: the broker names the token after the run (gha/<repository>/run-<run_id>-<attempt>/<workflow>)'
    )
  return { url: url.ok ? url.url : '', audience, ...parseTokenShape(input) }
}
