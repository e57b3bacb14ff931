/**
 * The official `fastly` npm client (v13, a test-only devDependency) against the simulator: if
 * the vendor's own generated client cannot talk to it or parse its answers, it is not faithful.
 *
 * Two quirks of the generated client: every operation passes https://api.fastly.com as its base
 * path, so buildUrl is overridden to use `basePath`; and each TokensApi constructor picks up
 * FASTLY_API_TOKEN from the environment, so the variable is cleared and a private ApiClient is
 * used instead of the ApiClient.instance singleton.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createRequire } from 'node:module'
import type { Simulator } from '../../src/simulator/index.js'
import { DEMO_CUSTOMER_ID, startSimulator } from '../../src/simulator/index.js'

interface ApiClient {
  basePath: string
  rateLimitRemaining: number
  rateLimitReset: number | null
  authenticate(token: string): void
  buildUrl(path: string, pathParams: object, allowReserved: object, apiBasePath?: string | null): string
}

interface TokenModel {
  id: string
  user_id: string
  name: string
  scope: string
  services: string[]
  created_at: string
  last_used_at: string | null
  expires_at: string | null
  ip: string | null
  user_agent: string | null
  access_token?: string
  updated_at?: Date
}

interface TokensApi {
  getTokenCurrent(): Promise<TokenModel>
  getToken(options: { token_id: string }): Promise<TokenModel>
  listTokensUser(): Promise<TokenModel[]>
  listTokensCustomer(options: { customer_id: string }): Promise<TokenModel[]>
  revokeToken(options: { token_id: string }): Promise<null>
  revokeTokenCurrent(): Promise<null>
  bulkRevokeTokens(options: { request_body: { data: Array<{ type: string; id: string }> } }): Promise<null>
  createToken(): Promise<TokenModel>
}

interface FastlyModule {
  ApiClient: { new (): ApiClient; prototype: ApiClient }
  TokensApi: new (client: ApiClient) => TokensApi
  SudoApi: new (client: ApiClient) => {
    requestSudoAccess(options: { sudo_request: object }): Promise<{ expiry_time: Date }>
  }
  TokenResponse: abstract new () => unknown
  TokenCreatedResponse: abstract new () => unknown
}

// The package is CommonJS without type declarations; load it through Node's own require.
delete process.env.FASTLY_API_TOKEN
const Fastly = createRequire(import.meta.url)('fastly') as FastlyModule

function clientFor(sim: Simulator, token: string): ApiClient {
  const client = new Fastly.ApiClient()
  client.basePath = sim.url
  const original = Fastly.ApiClient.prototype.buildUrl
  client.buildUrl = function (path, pathParams, allowReserved) {
    return original.call(this, path, pathParams, allowReserved, null)
  }
  client.authenticate(token)
  return client
}

describe('the official fastly client (v13) against the simulator', () => {
  let sim: Simulator
  let admin: { id: string; access_token: string }
  let api: TokensApi
  let client: ApiClient

  beforeAll(async () => {
    sim = await startSimulator()
  })
  afterAll(() => sim.close())
  beforeEach(() => {
    sim.state.reset()
    admin = sim.state.addToken({
      user: 'admin@example.com',
      name: 'admin key',
      services: ['svc0000000000000000001']
    })
    client = clientFor(sim, admin.access_token)
    api = new Fastly.TokensApi(client)
  })

  it('has all eight Tokens operations in v13', () => {
    for (const op of [
      'bulkRevokeTokens',
      'createToken',
      'getToken',
      'getTokenCurrent',
      'listTokensCustomer',
      'listTokensUser',
      'revokeToken',
      'revokeTokenCurrent'
    ]) {
      expect(typeof (api as unknown as Record<string, unknown>)[op]).toBe('function')
    }
  })

  it('getTokenCurrent parses a TokenResponse with the right fields', async () => {
    const self = await api.getTokenCurrent()
    expect(self).toBeInstanceOf(Fastly.TokenResponse)
    expect(self).toMatchObject({
      id: admin.id,
      user_id: 'demoUser00000000000002',
      name: 'admin key',
      scope: 'global',
      services: ['svc0000000000000000001'],
      expires_at: null,
      ip: '127.0.0.1'
    })
    expect(self.user_agent).toBe('fastly-js/13.0.0')
    expect(self.last_used_at).toMatch(/Z$/)
  })

  it('getToken reads another token of the customer', async () => {
    const other = sim.state.addToken({ user: 'demo@example.com', name: 'demo token', scope: 'global:read' })
    const token = await api.getToken({ token_id: other.id })
    expect(token).toBeInstanceOf(Fastly.TokenResponse)
    expect(token).toMatchObject({
      id: other.id,
      name: 'demo token',
      scope: 'global:read',
      services: [],
      last_used_at: null
    })
  })

  it('listTokensUser and listTokensCustomer parse arrays of TokenResponse', async () => {
    sim.state.addToken({ user: 'admin@example.com', name: 'second' })
    sim.state.addToken({ user: 'demo@example.com', name: 'demo' })
    const mine = await api.listTokensUser()
    expect(mine.map(t => t.name)).toEqual(['admin key', 'second'])
    for (const token of mine) expect(token).toBeInstanceOf(Fastly.TokenResponse)
    const customer = await api.listTokensCustomer({ customer_id: DEMO_CUSTOMER_ID })
    expect(customer.map(t => t.name).sort()).toEqual(['admin key', 'demo', 'second'])
  })

  it('revokeToken and revokeTokenCurrent succeed (204) and the client reads the rate-limit headers', async () => {
    const target = sim.state.addToken({ user: 'demo@example.com' })
    expect(await api.revokeToken({ token_id: target.id })).toBeNull()
    expect(sim.state.token(target.id)).toBeUndefined()
    expect(client.rateLimitRemaining).toBe(999)
    expect(Number(client.rateLimitReset) % 3600).toBe(0)
    expect(await api.revokeTokenCurrent()).toBeNull()
    expect(sim.state.token(admin.id)).toBeUndefined()
  })

  it('bulkRevokeTokens sends the JSON:API bulk body the simulator accepts', async () => {
    const ids = sim.state.addTokens(3, { user: 'demo@example.com' }).map(t => t.id)
    expect(
      await api.bulkRevokeTokens({ request_body: { data: ids.map(id => ({ type: 'token', id })) } })
    ).toBeNull()
    expect(ids.map(id => sim.state.token(id))).toEqual([undefined, undefined, undefined])
    const logged = sim.state.requests().at(-1)!
    expect(logged.headers['content-type']).toBe('application/vnd.api+json; ext=bulk')
  })

  it('an error answer reaches the caller with its status and legacy body', async () => {
    const failure = (await api.getToken({ token_id: 'unknownTokenId00000000' }).catch((e: unknown) => e)) as {
      status: number
      body: { msg: string }
    }
    expect(failure.status).toBe(404)
    expect(failure.body.msg).toBe('Token lookup failed.')
  })

  it('SudoApi (JSON body) then createToken (empty form, Fastly-Key) mint a token with the defaults', async () => {
    const sudo = new Fastly.SudoApi(client)
    const grant = await sudo.requestSudoAccess({
      sudo_request: { username: 'admin@example.com', password: 'admin-password' }
    })
    expect(grant.expiry_time).toBeInstanceOf(Date)
    const created = await api.createToken()
    expect(created).toBeInstanceOf(Fastly.TokenCreatedResponse)
    expect(created.access_token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(created).toMatchObject({ scope: 'global', services: [], user_id: 'demoUser00000000000002' })
    expect(sim.state.findByAccessToken(created.access_token!)?.id).toBe(created.id)
  })
})
