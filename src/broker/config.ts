/**
 * The broker's configuration as it is used at run time, its defaults and the claims a policy may
 * test. config-check.ts turns the parsed YAML into it.
 */
import type { ClaimPattern } from './glob.js'

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'
export const DEFAULT_AUDIENCE = 'fastly-token-broker'
/** The longest lifetime a request gets when it names none: the smaller of this and the policy's. */
export const DEFAULT_EXPIRES_IN_S = 3600

/** The claims of a GitHub Actions ID token a policy may test. Anything else is a typo. */
export const POLICY_CLAIMS = [
  'sub',
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'repository_visibility',
  'ref',
  'ref_type',
  'ref_protected',
  'environment',
  'workflow',
  'workflow_ref',
  'workflow_sha',
  'job_workflow_ref',
  'job_workflow_sha',
  'event_name',
  'actor',
  'actor_id',
  'head_ref',
  'base_ref',
  'runner_environment',
  'sha',
  'enterprise',
  'enterprise_id'
] as const

export interface Policy {
  name: string
  claims: { claim: string; pattern: ClaimPattern }[]
  /** The widest scopes granted. */
  scopes: string[]
  /** Undefined: any service the minting user can reach. */
  services: string[] | undefined
  maxExpiresInS: number
}

export interface BrokerLimits {
  maxBodyBytes: number
  maxHeaderBytes: number
  maxIdTokenBytes: number
  /** Whole request, reading to answering, the mint included. */
  requestTimeoutMs: number
  maxConcurrent: number
}

export interface RateLimitSettings {
  /** Mints allowed per repository in each window. */
  perRepository: number
  windowMs: number
  /** Refuse new mints while Fastly reports this many writes left or fewer (the budget is the
   *  minting user's, shared with everything else it does). */
  fastlyReserve: number
}

export interface BrokerConfig {
  issuer: string
  audience: string
  fastlyApiUrl: string
  policies: Policy[]
  rateLimit: RateLimitSettings
  limits: BrokerLimits
}

export const DEFAULT_LIMITS: BrokerLimits = {
  maxBodyBytes: 4096,
  maxHeaderBytes: 16384,
  maxIdTokenBytes: 8192,
  requestTimeoutMs: 30_000,
  maxConcurrent: 64
}

export const DEFAULT_RATE_LIMIT: RateLimitSettings = {
  perRepository: 30,
  windowMs: 60_000,
  fastlyReserve: 25
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}
