/**
 * Minting the job's token and checking it. The expiry asked for is computed here (now + expires-in,
 * whole seconds, as the API stores it), so verification can compare what came back with what was
 * asked, not with what the API chose to echo.
 */
import type { FastlyTokensClient } from '../client/index.js'
import type { CreatedToken, Token } from '../types.js'
import type { MintConfig } from './mint-inputs.js'

/** The API's timestamp form: RFC 3339 UTC, no fraction. */
function apiTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** How far the API's expiry may drift from the asked one (it could round to its own clock). */
const EXPIRY_TOLERANCE_MS = 60_000

export interface MintDeps {
  /** Registers a value the action computed (a TOTP code) as secret before it is sent. */
  mask(value: string): void
  /** No new request once aborted (a cancelled job); one in flight finishes. */
  stop?: AbortSignal
  /** Epoch ms: bounds the call, the TOTP retry included. */
  deadline?: number
}

/** The expiry to ask for: now + expires-in, in whole seconds. */
export function askedExpiry(config: Pick<MintConfig, 'expiresInMs'>, now: number): string {
  return apiTimestamp(now + config.expiresInMs)
}

/**
 * POST /tokens (after POST /sudo in the sudo flow). With totp-secret the client computes the code
 * and, when the API refuses it, tries once more with the next window's code (a sibling matrix job
 * may have used this one): each code is masked before it is sent.
 */
export async function mintToken(
  client: FastlyTokensClient,
  config: MintConfig,
  expiresAt: string,
  deps: MintDeps
): Promise<CreatedToken> {
  return client.createToken(
    {
      ...(config.username ? { username: config.username } : {}),
      password: config.password,
      name: config.name,
      scope: config.scope,
      services: config.services,
      expiresAt,
      ...(config.otp ? { otp: config.otp } : {}),
      ...(config.totpSecret ? { totpSecret: config.totpSecret, onOneTimeCode: deps.mask } : {})
    },
    { ...(deps.stop ? { stop: deps.stop } : {}), ...(deps.deadline ? { deadline: deps.deadline } : {}) }
  )
}

/** What differs between the token asked for and the token GET /tokens/self describes; [] when none. */
export function tokenMismatches(
  config: Pick<MintConfig, 'scope' | 'services'>,
  expiresAt: string,
  token: Token
): string[] {
  const problems: string[] = []
  const askedScopes = new Set(config.scope.split(' '))
  const gotScopes = new Set(token.scope.split(/\s+/).filter(Boolean))
  if (askedScopes.size !== gotScopes.size || [...askedScopes].some(s => !gotScopes.has(s))) {
    problems.push(`scope is "${token.scope}", asked for "${config.scope}"`)
  }
  const askedServices = new Set(config.services)
  const gotServices = new Set(token.services ?? [])
  if (askedServices.size !== gotServices.size || [...askedServices].some(s => !gotServices.has(s))) {
    const show = (s: Set<string>) => (s.size === 0 ? 'all services' : [...s].join(', '))
    problems.push(`services are ${show(gotServices)}, asked for ${show(askedServices)}`)
  }
  if (token.expires_at === null) {
    problems.push(`the token never expires, asked for ${expiresAt}`)
  } else {
    const drift = Math.abs(Date.parse(token.expires_at) - Date.parse(expiresAt))
    if (!(drift <= EXPIRY_TOLERANCE_MS))
      problems.push(`expires at ${token.expires_at}, asked for ${expiresAt}`)
  }
  return problems
}
