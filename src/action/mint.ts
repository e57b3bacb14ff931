/**
 * Minting the job's token and checking it. The expiry asked for is computed here (now + expires-in,
 * whole seconds, as the API stores it), so verification can compare what came back with what was
 * asked, not with what the API chose to echo.
 */
import { TwoFactorRequiredError, totp, type FastlyTokensClient } from '../client/index.js'
import type { CreatedToken, Token } from '../types.js'
import type { MintConfig } from './mint-inputs.js'
import { logText } from '../text/log-text.js'

/** The API's timestamp form: RFC 3339 UTC, no fraction. */
function apiTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** How far the API's expiry may drift from the asked one (it could round to its own clock). */
const EXPIRY_TOLERANCE_MS = 60_000

export interface MintDeps {
  now(): number
  /** Registers a value the action computed (a TOTP code) as secret before it is sent. */
  mask(value: string): void
}

/** The expiry to ask for: now + expires-in, in whole seconds. */
export function askedExpiry(config: MintConfig, now: number): string {
  return apiTimestamp(now + config.expiresInMs)
}

export async function mintToken(
  client: FastlyTokensClient,
  config: MintConfig,
  expiresAt: string,
  deps: MintDeps
): Promise<CreatedToken> {
  const oneTimeCode = (at: number) => {
    if (config.otp) return config.otp
    if (!config.totpSecret) return undefined
    const code = totp(config.totpSecret, at)
    deps.mask(code)
    return code
  }
  const request = (otp: string | undefined) =>
    client.createToken({
      ...(config.username ? { username: config.username } : {}),
      password: config.password,
      name: config.name,
      scope: config.scope,
      services: config.services,
      expiresAt,
      ...(otp ? { otp } : {})
    })
  const firstCode = oneTimeCode(deps.now())
  try {
    return await request(firstCode)
  } catch (error) {
    // A computed code can go stale while in flight at a 30-second boundary: one retry with the
    // next code, and only when the code really changed (a wrong secret fails twice, not forever).
    if (error instanceof TwoFactorRequiredError && config.totpSecret && error.otpWasSent) {
      const nextCode = oneTimeCode(deps.now())
      if (nextCode !== firstCode) return await request(nextCode)
    }
    throw error
  }
}

/** What differs between the token asked for and the token GET /tokens/self describes; [] when none. */
export function tokenMismatches(config: MintConfig, expiresAt: string, token: Token): string[] {
  const problems: string[] = []
  const askedScopes = new Set(config.scope.split(' '))
  const gotScopes = new Set(token.scope.split(/\s+/).filter(Boolean))
  if (askedScopes.size !== gotScopes.size || [...askedScopes].some(s => !gotScopes.has(s))) {
    problems.push(`scope is "${logText(token.scope)}", asked for "${config.scope}"`)
  }
  const askedServices = new Set(config.services)
  const gotServices = new Set(token.services ?? [])
  if (askedServices.size !== gotServices.size || [...askedServices].some(s => !gotServices.has(s))) {
    const show = (s: Set<string>) => (s.size === 0 ? 'all services' : logText([...s].join(', ')))
    problems.push(`services are ${show(gotServices)}, asked for ${show(askedServices)}`)
  }
  if (token.expires_at === null) {
    problems.push(`the token never expires, asked for ${expiresAt}`)
  } else {
    const drift = Math.abs(Date.parse(token.expires_at) - Date.parse(expiresAt))
    if (!(drift <= EXPIRY_TOLERANCE_MS))
      problems.push(`expires at ${logText(token.expires_at)}, asked for ${expiresAt}`)
  }
  return problems
}
