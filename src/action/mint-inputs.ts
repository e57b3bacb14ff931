/**
 * The inputs that shape the token a step mints: scope, services, expires-in and name, with the
 * credentials already read. Parsed only when the step mints (a password was given).
 */
import { DEFAULT_SCOPE, formatDuration, parseDuration, parseScope, parseServices } from '../input/index.js'
import type { InputReader } from './input-reader.js'
import { defaultTokenName, type RunContext } from './run-context.js'

export const DEFAULT_EXPIRES_IN = '1h'
/** Shortest lifetime: shorter tokens can expire between the mint and the verification read. */
const MIN_EXPIRES_IN_MS = 60_000
/** Longest lifetime: this action hands out short-lived credentials, not standing ones. */
const MAX_EXPIRES_IN_MS = 30 * 86_400_000

export interface MintCredentials {
  /** Absent: the sudo flow (api-token + password). */
  username?: string
  password: string
  otp?: string
  totpSecret?: string
}

export interface MintConfig extends MintCredentials {
  name: string
  /** Space-delimited, normalized (deduplicated, in the order given). */
  scope: string
  services: string[]
  expiresInMs: number
}

/** What shapes any minted token, however it is minted (password flows or the broker). */
export interface TokenShape {
  scope: string
  services: string[]
  expiresInMs: number
}

export function parseMintInputs(
  input: InputReader,
  context: RunContext,
  credentials: MintCredentials
): MintConfig {
  const name = input.read('name') || defaultTokenName(context)
  if (name.length > 255 || [...name].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    input.fail('name', 'expected at most 255 characters without control characters')
  }
  return { ...credentials, name, ...parseTokenShape(input) }
}

/** scope, services and expires-in. */
export function parseTokenShape(input: InputReader): TokenShape {
  const scope = parseScope(input.read('scope') || DEFAULT_SCOPE)
  if (!scope.ok) input.fail('scope', scope.problem)
  const services = parseServices(input.read('services'))
  if (!services.ok) input.fail('services', services.problem)
  const expiresText = input.read('expires-in') || DEFAULT_EXPIRES_IN
  const duration = parseDuration(expiresText)
  let expiresInMs = 0
  if (!duration.ok) input.fail('expires-in', duration.problem)
  else if (duration.value < MIN_EXPIRES_IN_MS || duration.value > MAX_EXPIRES_IN_MS) {
    input.fail(
      'expires-in',
      `expected between ${formatDuration(MIN_EXPIRES_IN_MS)} and ${formatDuration(MAX_EXPIRES_IN_MS)}, got ${expiresText}`
    )
  } else expiresInMs = duration.value
  return {
    scope: scope.ok ? scope.value : DEFAULT_SCOPE,
    services: services.ok ? services.value : [],
    expiresInMs
  }
}
