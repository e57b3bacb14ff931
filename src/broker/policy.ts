/**
 * Which policy lets a verified identity have what it asks for. A policy matches when every claim
 * it lists matches; among the matching ones (in config order) the first the request fits is used.
 * A request never gets less than it asked for without being told: beyond every matching policy it
 * is refused, naming the part (scope, services or lifetime) of the first matching policy.
 */
import { DEFAULT_EXPIRES_IN_S, type Policy } from './config.js'
import type { MintRequest } from './mint-request.js'

export interface Grant {
  policy: Policy
  scopes: string[]
  /** [] means every service the minting user can reach (the API's own meaning). */
  services: string[]
  expiresInS: number
}

export type PolicyDecision =
  | { ok: true; grant: Grant }
  | { ok: false; reason: 'no_policy'; message: string }
  | {
      ok: false
      reason: 'policy_scope' | 'policy_services' | 'policy_lifetime'
      message: string
      policy: string
    }

export function matchingPolicies(policies: readonly Policy[], claims: Record<string, unknown>): Policy[] {
  return policies.filter(p =>
    p.claims.every(({ claim, pattern }) => {
      const value = claims[claim]
      return typeof value === 'string' && pattern.matches(value)
    })
  )
}

type Fit =
  | { ok: true; grant: Grant }
  | { ok: false; reason: 'policy_scope' | 'policy_services' | 'policy_lifetime'; message: string }

export function fit(policy: Policy, request: MintRequest): Fit {
  const scopes = request.scopes ?? policy.scopes
  const extraScope = scopes.filter(s => !policy.scopes.includes(s))
  if (extraScope.length > 0) {
    return {
      ok: false,
      reason: 'policy_scope',
      message: `policy ${policy.name} grants the scopes ${policy.scopes.join(' ')}; the request asks for ${extraScope.join(' ')} beyond them`
    }
  }
  let services: string[]
  if (policy.services === undefined) {
    services = request.services ?? []
  } else {
    services = request.services ?? policy.services
    const allowed = policy.services
    if (services.length === 0) {
      return {
        ok: false,
        reason: 'policy_services',
        message: `policy ${policy.name} is limited to ${allowed.length} service(s); the request asks for every service`
      }
    }
    const extra = services.filter(s => !allowed.includes(s))
    if (extra.length > 0) {
      return {
        ok: false,
        reason: 'policy_services',
        message: `policy ${policy.name} does not grant ${extra.length} of the requested services`
      }
    }
  }
  const expiresInS = request.expiresInS ?? Math.min(DEFAULT_EXPIRES_IN_S, policy.maxExpiresInS)
  if (expiresInS > policy.maxExpiresInS) {
    return {
      ok: false,
      reason: 'policy_lifetime',
      message: `policy ${policy.name} grants at most ${policy.maxExpiresInS} s; the request asks for ${expiresInS} s`
    }
  }
  return { ok: true, grant: { policy, scopes, services, expiresInS } }
}

export function decide(
  policies: readonly Policy[],
  claims: Record<string, unknown>,
  request: MintRequest
): PolicyDecision {
  const matching = matchingPolicies(policies, claims)
  if (matching.length === 0) {
    return {
      ok: false,
      reason: 'no_policy',
      message: 'no policy trusts this identity (repository, ref, environment...)'
    }
  }
  let first: Extract<Fit, { ok: false }> | undefined
  let firstPolicy = ''
  for (const policy of matching) {
    const result = fit(policy, request)
    if (result.ok) return result
    if (first === undefined) {
      first = result
      firstPolicy = policy.name
    }
  }
  const refusal = first as Extract<Fit, { ok: false }>
  return { ok: false, reason: refusal.reason, message: refusal.message, policy: firstPolicy }
}
