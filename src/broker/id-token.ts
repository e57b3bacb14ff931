/**
 * Verifying a GitHub Actions ID token, with jose: RS256 only (so `alg: none` and every HMAC
 * variant are refused before any key is looked at), the configured issuer and audience exactly,
 * `exp`/`nbf`/`iat` with at most 60 s of clock skew, and the claims the broker needs to name and
 * audit a token present as strings. The messages say which check failed in general words and never
 * repeat the token or a claim from it (nothing in an unverified token is trusted enough to print).
 */
import { errors, jwtVerify, type JWTPayload } from 'jose'
import { IssuerUnavailableError, type IssuerKeys } from './issuer-keys.js'

export const CLOCK_SKEW_S = 60
/** Longer-lived tokens are refused: GitHub's live minutes, and the replay cache must hold every
 *  jti until its token expires. */
export const MAX_TOKEN_AGE_S = 3600

/** Claims without which the broker cannot name, limit or audit a token. */
export const REQUIRED_CLAIMS = ['jti', 'repository', 'run_id', 'run_attempt', 'workflow'] as const

export type VerifiedClaims = JWTPayload & Record<(typeof REQUIRED_CLAIMS)[number], string> & { exp: number }

/** Why a token was refused: `reason` is for metrics and the audit log, `message` for the caller. */
export class IdTokenRefusal extends Error {
  override name = 'IdTokenRefusal'
  constructor(
    readonly reason: string,
    message: string
  ) {
    super(message)
  }
}

function refusalOf(error: unknown): Error {
  if (error instanceof IssuerUnavailableError) return error
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new IdTokenRefusal('token_algorithm', 'the ID token is not signed with RS256')
  if (error instanceof errors.JWKSNoMatchingKey)
    return new IdTokenRefusal('token_unknown_key', 'the ID token names a key the issuer does not publish')
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new IdTokenRefusal('token_signature', "the ID token's signature does not verify")
  if (error instanceof errors.JWTExpired)
    return new IdTokenRefusal('token_expired', 'the ID token has expired')
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim
    if (error.reason === 'missing')
      return new IdTokenRefusal('token_claims', `the ID token lacks the "${claim}" claim`)
    if (claim === 'iss') return new IdTokenRefusal('token_issuer', 'the ID token comes from another issuer')
    if (claim === 'aud')
      return new IdTokenRefusal('token_audience', 'the ID token is meant for another audience')
    if (claim === 'nbf') return new IdTokenRefusal('token_not_yet_valid', 'the ID token is not valid yet')
    if (claim === 'iat')
      return new IdTokenRefusal('token_not_yet_valid', 'the ID token was issued in the future')
    return new IdTokenRefusal('token_claims', `the ID token's "${claim}" claim is invalid`)
  }
  return new IdTokenRefusal('token_malformed', 'the ID token is not a well-formed signed JWT')
}

export class IdTokenVerifier {
  constructor(
    private readonly options: { issuer: string; audience: string; keys: IssuerKeys; now?: () => number }
  ) {}

  /** The verified claims, or throws IdTokenRefusal (a 401) / IssuerUnavailableError (a 503). */
  async verify(token: string): Promise<VerifiedClaims> {
    let payload: JWTPayload
    try {
      const now = this.options.now?.()
      ;({ payload } = await jwtVerify(token, this.options.keys.resolver, {
        algorithms: ['RS256'],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: CLOCK_SKEW_S,
        maxTokenAge: MAX_TOKEN_AGE_S,
        requiredClaims: ['exp', 'iat', ...REQUIRED_CLAIMS],
        ...(now === undefined ? {} : { currentDate: new Date(now) })
      }))
    } catch (error) {
      throw refusalOf(error)
    }
    // jose accepts an audience array that contains ours; a token meant for several audiences is
    // not meant for the broker alone, so only the exact string passes.
    if (payload.aud !== this.options.audience) {
      throw new IdTokenRefusal('token_audience', 'the ID token is meant for another audience')
    }
    if (
      typeof payload.exp !== 'number' ||
      typeof payload.iat !== 'number' ||
      payload.exp - payload.iat > MAX_TOKEN_AGE_S
    ) {
      throw new IdTokenRefusal('token_claims', 'the ID token lives longer than an hour')
    }
    for (const claim of REQUIRED_CLAIMS) {
      const value = payload[claim]
      if (typeof value !== 'string' || value === '' || value.length > 512) {
        throw new IdTokenRefusal('token_claims', `the ID token's "${claim}" claim is not a usable string`)
      }
    }
    return payload as VerifiedClaims
  }
}
