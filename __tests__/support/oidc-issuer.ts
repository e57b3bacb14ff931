/**
 * A local OIDC issuer that stands in for GitHub's (token.actions.githubusercontent.com), over
 * plain http on 127.0.0.1: its own RSA keys, `/.well-known/openid-configuration`, a JWKS, a
 * `sign()` that mints ID tokens with any claims, forged variants for refusal tests, and the
 * runner's ID-token endpoint that `@actions/core`'s `getIDToken(audience)` calls
 * (`ACTIONS_ID_TOKEN_REQUEST_URL` + `&audience=...`, bearer `ACTIONS_ID_TOKEN_REQUEST_TOKEN`).
 * Keys come from jose; nothing here hand-rolls a signature except the forgeries, which must be
 * wrong on purpose.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTHeaderParameters
} from 'jose'

/** The claims GitHub puts in an Actions ID token (strings, as GitHub sends them), plus the
 *  registered ones. Any of them may be overridden, or removed with `undefined`. */
export type IdTokenClaims = Record<string, unknown>

export interface SigningKey {
  kid: string
  privateKey: CryptoKey
  publicKey: CryptoKey
  publicJwk: JWK
}

export interface IssuerRequest {
  method: string
  /** Path and query. */
  url: string
}

export interface RunnerEndpoint {
  /** For ACTIONS_ID_TOKEN_REQUEST_URL: ends in a query, so core can append `&audience=`. */
  readonly url: string
  /** For ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  readonly token: string
  /** The two variables, ready to spread into a step's env. */
  env(): { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string }
  /** Overrides for the claims of every token the endpoint hands out (set before the step runs). */
  claims: IdTokenClaims
  /** When set, the endpoint answers this status instead of a token (e.g. 403 as without
   *  `id-token: write`... or 500 for a runner fault). */
  failWith: number | undefined
  /** The ID tokens the endpoint handed out, in order. */
  readonly issued: string[]
}

export interface OidcIssuer {
  /** The issuer identifier and base URL: `http://127.0.0.1:PORT`. */
  readonly url: string
  /** The key ID tokens are signed with now. */
  readonly key: SigningKey
  /** Every request the issuer received, in order (to count JWKS fetches). */
  readonly requests: IssuerRequest[]
  readonly runner: RunnerEndpoint
  /** A full GitHub claim set: iss, aud, iat/nbf/exp (5 minutes), a fresh jti, then `overrides`
   *  (a value of `undefined` removes the claim). */
  claims(overrides?: IdTokenClaims): IdTokenClaims
  /** Signs exactly these claims with the current key (RS256 with its kid, unless `header` says
   *  otherwise). `key` signs with another key pair. */
  sign(claims: IdTokenClaims, header?: Partial<JWTHeaderParameters>, key?: SigningKey): Promise<string>
  /** `sign(claims(overrides))`. */
  idToken(overrides?: IdTokenClaims): Promise<string>
  /** Forged ID tokens: each looks right except for what its name says. */
  readonly forge: {
    /** `alg: none` and an empty signature. */
    algNone(claims: IdTokenClaims): string
    /** HS256 keyed with the issuer's public key (the PEM text), the classic RS/HS confusion. */
    hmacWithPublicKey(claims: IdTokenClaims): Promise<string>
    /** Signed by a key the issuer never published, under the published kid. */
    otherKeySameKid(claims: IdTokenClaims): Promise<string>
    /** Signed by an unpublished key under a kid the JWKS does not have. */
    unknownKid(claims: IdTokenClaims): Promise<string>
    /** A valid token whose payload was then replaced by `changes` applied to it (signature kept). */
    tamperedPayload(claims: IdTokenClaims, changes: IdTokenClaims): Promise<string>
  }
  /** A new key pair, published in the JWKS next to the old ones and used for signing from now on. */
  rotate(): Promise<SigningKey>
  /** Drops a key from the JWKS (it still signs if it is current). */
  unpublish(kid: string): void
  close(): Promise<void>
}

export interface OidcIssuerOptions {
  /** The clock iat/nbf/exp come from (epoch ms). Default Date.now. */
  now?: () => number
  /** The `aud` of `claims()` when not overridden. Default `fastly-token-broker`. */
  audience?: string
  /** Overrides applied to every `claims()` set. */
  claims?: IdTokenClaims
}

export const DEFAULT_TEST_AUDIENCE = 'fastly-token-broker'

async function newKey(kid: string): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk = await exportJWK(publicKey)
  return { kid, privateKey, publicKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } }
}

function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
}

function withoutUndefined(claims: IdTokenClaims): IdTokenClaims {
  return Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined))
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

export async function startOidcIssuer(options: OidcIssuerOptions = {}): Promise<OidcIssuer> {
  const now = options.now ?? Date.now
  const audience = options.audience ?? DEFAULT_TEST_AUDIENCE
  const keys: SigningKey[] = [await newKey(`test-key-${randomBytes(4).toString('hex')}`)]
  let current = keys[0] as SigningKey
  const requests: IssuerRequest[] = []
  const runnerToken = randomBytes(24).toString('base64url')
  let url = ''

  const claims = (overrides: IdTokenClaims = {}): IdTokenClaims => {
    const iat = Math.floor(now() / 1000)
    const runId = String(1_000_000 + Math.floor(Math.random() * 9_000_000))
    return withoutUndefined({
      jti: randomUUID(),
      sub: 'repo:acme/shop:environment:production',
      aud: audience,
      ref: 'refs/heads/main',
      sha: 'a'.repeat(40),
      repository: 'acme/shop',
      repository_owner: 'acme',
      repository_owner_id: '1001',
      repository_id: '2002',
      repository_visibility: 'private',
      actor: 'octocat',
      actor_id: '3003',
      workflow: 'deploy',
      workflow_ref: 'acme/shop/.github/workflows/deploy.yml@refs/heads/main',
      job_workflow_ref: 'acme/shop/.github/workflows/deploy.yml@refs/heads/main',
      head_ref: '',
      base_ref: '',
      event_name: 'push',
      ref_type: 'branch',
      ref_protected: 'true',
      environment: 'production',
      run_id: runId,
      run_number: '17',
      run_attempt: '1',
      runner_environment: 'github-hosted',
      iss: url,
      nbf: iat,
      iat,
      exp: iat + 300,
      ...options.claims,
      ...overrides
    })
  }

  const sign = async (
    payload: IdTokenClaims,
    header: Partial<JWTHeaderParameters> = {},
    key: SigningKey = current
  ): Promise<string> =>
    new SignJWT(withoutUndefined(payload))
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: key.kid, ...header } as JWTHeaderParameters)
      .sign(key.privateKey)

  const runner = {
    url: '',
    token: runnerToken,
    claims: {} as IdTokenClaims,
    failWith: undefined as number | undefined,
    issued: [] as string[],
    env() {
      return { ACTIONS_ID_TOKEN_REQUEST_URL: this.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: this.token }
    }
  }

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = new URL(req.url ?? '/', 'http://issuer.invalid')
    if (req.method === 'GET' && target.pathname === '/.well-known/openid-configuration') {
      return sendJson(res, 200, {
        issuer: url,
        jwks_uri: `${url}/.well-known/jwks`,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        claims_supported: [
          'sub',
          'aud',
          'exp',
          'iat',
          'iss',
          'jti',
          'nbf',
          'ref',
          'repository',
          'environment'
        ],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid']
      })
    }
    if (req.method === 'GET' && target.pathname === '/.well-known/jwks') {
      return sendJson(res, 200, { keys: keys.map(k => k.publicJwk) })
    }
    if (req.method === 'GET' && target.pathname === '/_apis/actions/idtoken') {
      if (req.headers.authorization !== `Bearer ${runnerToken}`) {
        return sendJson(res, 401, { message: 'bad runtime token' })
      }
      if (runner.failWith !== undefined) return sendJson(res, runner.failWith, { message: 'refused' })
      // Without an audience GitHub uses the repository owner's URL.
      const aud = target.searchParams.get('audience') ?? 'https://github.com/acme'
      const token = await sign(claims({ ...runner.claims, aud }))
      runner.issued.push(token)
      return sendJson(res, 200, { count: 1, value: token })
    }
    sendJson(res, 404, { message: 'not found' })
  }

  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' })
    req.resume()
    req.on('end', () => {
      answer(req, res).catch(() => sendJson(res, 500, { message: 'issuer failed' }))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  runner.url = `${url}/_apis/actions/idtoken?api-version=2.0`

  const stranger = async (kid: string): Promise<SigningKey> => newKey(kid)

  return {
    url,
    get key() {
      return current
    },
    requests,
    runner,
    claims,
    sign,
    idToken: overrides => sign(claims(overrides)),
    forge: {
      algNone: payload =>
        `${base64url({ typ: 'JWT', alg: 'none', kid: current.kid })}.${base64url(withoutUndefined(payload))}.`,
      hmacWithPublicKey: async payload => {
        const pem = await exportSPKI(current.publicKey)
        return new SignJWT(withoutUndefined(payload))
          .setProtectedHeader({ typ: 'JWT', alg: 'HS256', kid: current.kid })
          .sign(new TextEncoder().encode(pem))
      },
      otherKeySameKid: async payload => sign(payload, {}, await stranger(current.kid)),
      unknownKid: async payload =>
        sign(payload, {}, await stranger(`unknown-${randomBytes(4).toString('hex')}`)),
      tamperedPayload: async (payload, changes) => {
        const [header, , signature] = (await sign(payload)).split('.')
        return `${header}.${base64url(withoutUndefined({ ...payload, ...changes }))}.${signature}`
      }
    },
    async rotate() {
      current = await newKey(`test-key-${randomBytes(4).toString('hex')}`)
      keys.push(current)
      return current
    },
    unpublish(kid) {
      const index = keys.findIndex(k => k.kid === kid)
      if (index >= 0) keys.splice(index, 1)
    },
    close() {
      return new Promise<void>(resolve => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
  }
}
