import { EnvHttpProxyAgent, type Dispatcher } from 'undici'
import type {
  AutomationToken,
  CreateAutomationTokenInput,
  CreatedToken,
  RateLimitState,
  Token
} from '../types.js'
import { BULK_CONTENT_TYPE } from '../types.js'
import { FastlyApiError } from '../http/errors.js'
import { resolveEndpoint } from '../http/endpoint.js'
import { resolveRetryPolicy } from '../http/retry-policy.js'
import { sudoRetryDelay } from './sudo-wait.js'
import { ApiTransport, type ApiAnswer, type ApiRequest, type CallOptions } from '../http/transport.js'
import { buildUserAgent } from '../http/user-agent.js'
import { encodeBulkRevokeBody } from './bulk-revoke-body.js'
import { buildCreateTokenRequest, type CreateTokenInput } from './create-token-form.js'
import { DEFAULT_TIMEOUT_MS, type FastlyTokensClientOptions } from './options.js'
import { encodePathId } from './path-id.js'
import {
  readAutomationPage,
  readAutomationToken,
  readCreatedAutomationToken,
  readCreatedToken,
  readToken,
  readTokenList,
  type CreatedReading,
  type UnusableCreated
} from './responses.js'
import { totp } from './totp.js'
import { UnusableCreatedTokenError, type TakeBack } from './unusable-created.js'
import { isTwoFactorChallenge, TwoFactorRequiredError } from './two-factor.js'

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded'
/** RFC 6238's time step, as Fastly's authenticator enrolment uses it. */
const TOTP_STEP_MS = 30_000
/** How long taking back an unusable created token may take when the call had no deadline. */
const TAKE_BACK_MS = 30_000

/** A bound on the automation-token pages read, against a `meta` that never ends (100 a page). */
const MAX_AUTOMATION_PAGES = 1000

type RequestSpec = Omit<ApiRequest, 'secrets' | 'onRateLimit'>

/**
 * API tokens are printable ASCII (base64url as minted). Anything else is refused here, never sent:
 * undici rejects a header value outside Latin-1 only when the request is made, and that failure
 * would read as a network error after which a POST "may have minted".
 */
function checkApiToken(value: unknown, source: string): string | undefined {
  if (value === undefined || value === '') return undefined
  if (typeof value !== 'string' || !/^[\x21-\x7e]+$/.test(value)) {
    throw new TypeError(
      `${source} must be a single API token: printable ASCII, without spaces or line breaks`
    )
  }
  return value
}

/** The proxy settings the default dispatcher uses, taken from `env` (lower case wins, as in curl
 *  and undici), so a caller's `env` decides alone and tests never inherit the machine's proxy. */
function proxyAgentFor(env: Record<string, string | undefined>): Dispatcher {
  return new EnvHttpProxyAgent({
    httpProxy: env.http_proxy ?? env.HTTP_PROXY ?? '',
    httpsProxy: env.https_proxy ?? env.HTTPS_PROXY ?? '',
    noProxy: env.no_proxy ?? env.NO_PROXY ?? ''
  })
}

/**
 * A typed client for the eight Fastly Tokens API endpoints. Method names follow the official
 * fastly-js client; answers keep the API's field names. Every method accepts `{ signal, deadline }`.
 */
export class FastlyTokensClient {
  readonly #options: FastlyTokensClientOptions
  readonly #apiToken: string | undefined
  readonly #transport: ApiTransport
  readonly #ownsDispatcher: boolean
  readonly #retry: ReturnType<typeof resolveRetryPolicy>
  readonly #now: () => number
  #rateLimit: RateLimitState | undefined
  #closed = false

  constructor(options: FastlyTokensClientOptions = {}) {
    if (typeof options !== 'object' || options === null)
      throw new TypeError('FastlyTokensClient options must be an object')
    const env = options.env ?? process.env
    const endpoint = resolveEndpoint(options.baseUrl, env)
    this.#apiToken =
      checkApiToken(options.apiToken, 'apiToken') ?? checkApiToken(env.FASTLY_API_TOKEN, 'FASTLY_API_TOKEN')
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new TypeError(
        `timeoutMs must be a positive number of milliseconds, got ${String(options.timeoutMs)}`
      )
    }
    const retry = resolveRetryPolicy(options.retry)
    this.#retry = retry
    this.#now = retry.now
    const userAgent = buildUserAgent(options.userAgent)
    this.#ownsDispatcher = options.dispatcher === undefined
    const dispatcher = options.dispatcher ?? proxyAgentFor(env)
    this.#options = { ...options, dispatcher }
    if (options.debug !== undefined && typeof options.debug !== 'function')
      throw new TypeError('debug must be a function')
    this.#transport = new ApiTransport({
      endpoint,
      dispatcher,
      userAgent,
      timeoutMs,
      retry,
      ...(options.debug ? { note: options.debug } : {})
    })
  }

  /** The write budget from the last non-GET answer (`Fastly-RateLimit-Remaining`/`-Reset`).
   *  GET answers do not carry it: reads are not rate limited. */
  get rateLimit(): RateLimitState | undefined {
    return this.#rateLimit
  }

  /** The same endpoint, dispatcher (connections) and policies, authenticated with another token.
   *  The new client's `close()` leaves the shared dispatcher open; close this one when done. */
  withToken(apiToken: string): FastlyTokensClient {
    const token = checkApiToken(apiToken, 'withToken(apiToken)')
    if (token === undefined) throw new TypeError('withToken(apiToken) needs a non-empty API token')
    return new FastlyTokensClient({ ...this.#options, apiToken: token })
  }

  /** Closes the connections of the dispatcher this client created (not one that was passed in). */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#ownsDispatcher) await this.#options.dispatcher?.close()
  }

  /**
   * POST /tokens. With `username`, the form carries username and password and no API token is
   * sent (the documented flow). Without it, the client's API token is used the way go-fastly does:
   * POST /sudo with the password, then POST /tokens with `Fastly-Key`. A two-factor challenge
   * becomes TwoFactorRequiredError; with `totpSecret` a refused code is tried once more with the
   * next window's code. Never repeated once a request may have reached the server: a second POST
   * would mint a second token. A 2xx answer that is not a usable token is taken back at once
   * (UnusableCreatedTokenError).
   */
  async createToken(input: CreateTokenInput, opts?: CallOptions): Promise<CreatedToken> {
    if (typeof input !== 'object' || input === null || input.totpSecret === undefined)
      return this.#createOnce(input, opts)
    const { totpSecret, onOneTimeCode, ...rest } = input
    if (rest.otp !== undefined) throw new TypeError('give otp or totpSecret, not both')
    const codeAt = (at: number) => {
      const code = totp(totpSecret, at)
      onOneTimeCode?.(code)
      return code
    }
    const first = codeAt(this.#now())
    try {
      return await this.#createOnce({ ...rest, otp: first }, opts)
    } catch (error) {
      if (!(error instanceof TwoFactorRequiredError && error.otpWasSent)) throw error
      const now = this.#now()
      if (opts?.deadline !== undefined && now >= opts.deadline) throw error
      // The verifier accepts a neighbouring window; the next one's code is one nobody used yet.
      const next = codeAt(now + TOTP_STEP_MS)
      if (next === first) throw error
      return await this.#createOnce({ ...rest, otp: next }, opts)
    }
  }

  async #createOnce(input: CreateTokenInput, opts?: CallOptions): Promise<CreatedToken> {
    const request = buildCreateTokenRequest(input)
    const secrets = [input.password, input.otp, request.otp]
    const otpHeader: Record<string, string> = request.otp === undefined ? {} : { 'Fastly-OTP': request.otp }
    const useSudo = input.username === undefined
    if (useSudo && this.#apiToken === undefined) {
      throw new TypeError(
        'createToken needs either username (with password) or an API token for the sudo flow ' +
          '(the apiToken option or FASTLY_API_TOKEN)'
      )
    }
    const form = { 'Content-Type': FORM_CONTENT_TYPE }
    let reading: CreatedReading
    try {
      if (useSudo) {
        await this.#send(
          {
            method: 'POST',
            path: '/sudo',
            headers: { ...this.#auth(), ...form },
            body: request.sudoForm,
            idempotent: false
          },
          opts,
          secrets
        )
      }
      const spec: RequestSpec = {
        method: 'POST',
        path: '/tokens',
        headers: { ...(useSudo ? this.#auth() : {}), ...form, ...otpHeader },
        body: request.tokenForm,
        idempotent: false
      }
      // A sudo grant not yet in effect is the one refusal repeated: it minted nothing.
      for (let attempt = 0; ; attempt++) {
        try {
          reading = readCreatedToken(spec, await this.#send(spec, opts, secrets))
          break
        } catch (error) {
          const wait = useSudo ? sudoRetryDelay(error, attempt, this.#retry.now(), opts?.deadline) : undefined
          if (wait === undefined) throw error
          await this.#retry.sleep(wait, opts?.signal)
        }
      }
    } catch (error) {
      if (isTwoFactorChallenge(error)) throw new TwoFactorRequiredError(error, request.otp !== undefined)
      throw error
    }
    if (reading.ok) return reading.token
    if (reading.accessToken === undefined && reading.tokenId === undefined) throw reading.error
    throw new UnusableCreatedTokenError(
      reading.error,
      reading.tokenId,
      await this.#takeBack(reading, opts, secrets)
    )
  }

  /** Revokes what an unusable create answer identifies; never throws. */
  async #takeBack(
    unusable: UnusableCreated,
    opts: CallOptions | undefined,
    secrets: (string | undefined)[]
  ): Promise<TakeBack> {
    // Cleanup, so not cut short by `stop`; bounded by the call's deadline, or the client's own.
    const deadline = opts?.deadline ?? this.#now() + TAKE_BACK_MS
    const call = { deadline, ...(opts?.signal ? { signal: opts.signal } : {}) }
    let how: string
    let spec: RequestSpec
    if (unusable.accessToken !== undefined) {
      how = 'DELETE /tokens/self with its own access token'
      spec = {
        method: 'DELETE',
        path: '/tokens/self',
        headers: { 'Fastly-Key': unusable.accessToken },
        idempotent: true
      }
    } else if (unusable.tokenId !== undefined && this.#apiToken !== undefined) {
      how = `DELETE /tokens/${unusable.tokenId} with the API token`
      spec = { ...this.#read(`/tokens/${unusable.tokenId}`), method: 'DELETE' }
    } else {
      return { revoked: false, why: 'its access_token is unusable and the client has no API token' }
    }
    try {
      await this.#send(spec, call, [...secrets, unusable.accessToken])
      return { revoked: true, how }
    } catch (error) {
      if (error instanceof FastlyApiError && (error.status === 401 || error.status === 404))
        return { revoked: true, how: `${how}: already gone` }
      return { revoked: false, why: error instanceof Error ? error.message : String(error) }
    }
  }

  /** GET /tokens/{token_id} */
  async getToken(tokenId: string, opts?: CallOptions): Promise<Token> {
    const spec = this.#read(`/tokens/${this.#pathId('tokenId', tokenId, 'token')}`)
    return readToken(spec, await this.#send(spec, opts))
  }

  /** GET /tokens/self: the token the client authenticates with. */
  async getTokenCurrent(opts?: CallOptions): Promise<Token> {
    const spec = this.#read('/tokens/self')
    return readToken(spec, await this.#send(spec, opts))
  }

  /** GET /tokens: the authenticated user's tokens. */
  async listTokensUser(opts?: CallOptions): Promise<Token[]> {
    const spec = this.#read('/tokens')
    return readTokenList(spec, await this.#send(spec, opts))
  }

  /** GET /customer/{customer_id}/tokens: every token of a customer (superusers). */
  async listTokensCustomer(customerId: string, opts?: CallOptions): Promise<Token[]> {
    const spec = this.#read(`/customer/${this.#pathId('customerId', customerId, 'customer')}/tokens`)
    return readTokenList(spec, await this.#send(spec, opts))
  }

  /**
   * GET /automation-tokens, every page (`?page=N&per_page=100` until `meta.total_pages`). A
   * superuser's call. The records are flat, with '' for unset dates (reference §5.3).
   */
  async listAutomationTokens(opts?: CallOptions): Promise<AutomationToken[]> {
    const all: AutomationToken[] = []
    for (let page = 1, pages = 1; page <= pages && page <= MAX_AUTOMATION_PAGES; page++) {
      const spec = this.#read(`/automation-tokens?page=${page}&per_page=100`)
      const answer = readAutomationPage(spec, await this.#send(spec, opts))
      for (const t of answer.data) all.push(t)
      pages = answer.totalPages
    }
    return all
  }

  /** GET /automation-tokens/{token_id} */
  async getAutomationToken(tokenId: string, opts?: CallOptions): Promise<AutomationToken> {
    const spec = this.#read(`/automation-tokens/${this.#pathId('tokenId', tokenId, 'token')}`)
    return readAutomationToken(spec, await this.#send(spec, opts))
  }

  /**
   * POST /sudo with the password, then POST /automation-tokens with a JSON body; the API answers
   * 200 with the record and its `access_token` (once). Never repeated once sent, except the
   * "You must POST /sudo" refusal, retried as for createToken. Revoke one with revokeToken(id).
   */
  async createAutomationToken(
    input: CreateAutomationTokenInput,
    opts?: CallOptions
  ): Promise<AutomationToken & { access_token: string }> {
    if (this.#apiToken === undefined)
      throw new TypeError('createAutomationToken needs an API token (sudo flow)')
    if (typeof input?.password !== 'string' || input.password === '')
      throw new TypeError('password is required')
    if (typeof input.name !== 'string' || input.name.trim() === '') throw new TypeError('name is required')
    const secrets = [input.password]
    await this.#send(
      {
        method: 'POST',
        path: '/sudo',
        headers: { ...this.#auth(), 'Content-Type': FORM_CONTENT_TYPE },
        body: new URLSearchParams({ password: input.password }).toString(),
        idempotent: false
      },
      opts,
      secrets
    )
    const spec: RequestSpec = {
      method: 'POST',
      path: '/automation-tokens',
      headers: { ...this.#auth(), 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: input.name,
        role: input.role,
        scope: input.scope ?? 'global',
        services: input.services ?? [],
        tls_access: input.tlsAccess ?? false,
        ...(input.expiresAt ? { expires_at: input.expiresAt.toISOString() } : {})
      }),
      idempotent: false
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return readCreatedAutomationToken(spec, await this.#send(spec, opts, secrets))
      } catch (error) {
        const wait = sudoRetryDelay(error, attempt, this.#retry.now(), opts?.deadline)
        if (wait === undefined) throw error
        await this.#retry.sleep(wait, opts?.signal)
      }
    }
  }

  /** DELETE /tokens/{token_id} (204). */
  async revokeToken(tokenId: string, opts?: CallOptions): Promise<void> {
    const path = `/tokens/${this.#pathId('tokenId', tokenId, 'token')}`
    await this.#send({ method: 'DELETE', path, headers: this.#auth(), idempotent: true }, opts)
  }

  /** DELETE /tokens/self: revokes the token the client authenticates with (204). */
  async revokeTokenCurrent(opts?: CallOptions): Promise<void> {
    await this.#send(
      { method: 'DELETE', path: '/tokens/self', headers: this.#auth(), idempotent: true },
      opts
    )
  }

  /** DELETE /tokens with a JSON:API bulk body (204). An empty list is refused before any request. */
  async bulkRevokeTokens(tokenIds: string[], opts?: CallOptions): Promise<void> {
    const body = encodeBulkRevokeBody(tokenIds)
    const bulk = { 'Content-Type': BULK_CONTENT_TYPE, Accept: BULK_CONTENT_TYPE }
    await this.#send(
      { method: 'DELETE', path: '/tokens', headers: { ...this.#auth(), ...bulk }, body, idempotent: true },
      opts
    )
  }

  /**
   * A path id, refused when it is this client's own API token: the path is part of every error
   * message (and of `error.path`), so a token passed where an id goes would be printed in clear.
   */
  #pathId(argument: string, value: unknown, kind: 'token' | 'customer'): string {
    const encoded = encodePathId(argument, value, kind)
    if (value === this.#apiToken) {
      throw new TypeError(
        `${argument} is this client's API token, not an id` +
          (kind === 'token' ? '; use getTokenCurrent() or revokeTokenCurrent() for the calling token' : '')
      )
    }
    return encoded
  }

  #read(path: string): RequestSpec {
    return { method: 'GET', path, headers: this.#auth(), idempotent: true }
  }

  #auth(): Record<string, string> {
    if (this.#apiToken === undefined) {
      throw new TypeError(
        'this call needs an API token: pass apiToken to FastlyTokensClient or set FASTLY_API_TOKEN'
      )
    }
    return { 'Fastly-Key': this.#apiToken }
  }

  async #send(
    spec: RequestSpec,
    opts: CallOptions | undefined,
    secrets: (string | undefined)[] = []
  ): Promise<ApiAnswer> {
    if (this.#closed) throw new Error('FastlyTokensClient is closed')
    return this.#transport.request(
      {
        ...spec,
        secrets: [this.#apiToken, ...secrets],
        onRateLimit: state => {
          this.#rateLimit = state
        }
      },
      opts
    )
  }
}
