/**
 * The project's own client against the simulator. The two were written apart and share only
 * src/types.ts, so agreement here means both read the record the same way.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { FastlyApiError, FastlyTokensClient, TwoFactorRequiredError, totp } from '../../src/client/index.js'
import type { Simulator } from '../../src/simulator/index.js'
import { DEMO_CUSTOMER_ID, MESSAGES, startSimulator } from '../../src/simulator/index.js'

const noWait = { sleep: async () => {}, random: () => 0 }

describe('FastlyTokensClient against the simulator', () => {
  let sim: Simulator
  const clients: FastlyTokensClient[] = []
  const clientFor = (apiToken?: string) => {
    const client = new FastlyTokensClient({
      baseUrl: sim.url,
      env: {},
      retry: noWait,
      ...(apiToken ? { apiToken } : {})
    })
    clients.push(client)
    return client
  }

  beforeAll(async () => {
    sim = await startSimulator()
  })
  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()))
    await sim.close()
  })
  beforeEach(() => sim.state.reset())

  it('creates with username + password, then reads, lists and revokes with the new token', async () => {
    const created = await clientFor().createToken({
      username: 'demo@example.com',
      password: 'demo-password',
      name: 'ci',
      scope: ['global'],
      services: ['svc0000000000000000001'],
      expiresAt: new Date(Date.now() + 3_600_000)
    })
    expect(created).toMatchObject({ name: 'ci', scope: 'global', service_id: 'svc0000000000000000001' })
    const client = clientFor(created.access_token)
    expect((await client.getTokenCurrent()).id).toBe(created.id)
    expect((await client.getToken(created.id)).name).toBe('ci')
    expect((await client.listTokensUser()).map(t => t.id)).toEqual([created.id])
    const other = sim.state.addToken({ user: 'demo@example.com' })
    await client.revokeToken(other.id)
    expect(client.rateLimit?.remaining).toBe(998)
    await client.revokeTokenCurrent()
    expect(sim.state.tokens()).toEqual([])
  })

  it('creates through the sudo flow with an API token and a password only', async () => {
    const key = sim.state.addToken({ user: 'admin@example.com' }).access_token
    const created = await clientFor(key).createToken({ password: 'admin-password', name: 'via sudo' })
    expect(created.user_id).toBe('demoUser00000000000002')
    expect(sim.state.requests().map(r => r.route)).toEqual(['POST /sudo', 'POST /tokens'])
  })

  it('turns the 2FA challenge into TwoFactorRequiredError and succeeds with a TOTP code', async () => {
    const client = clientFor()
    const login = { username: '2fa@example.com', password: '2fa-password', name: 'otp' }
    await expect(client.createToken(login)).rejects.toBeInstanceOf(TwoFactorRequiredError)
    const created = await client.createToken({ ...login, otp: totp('JBSWY3DPEHPK3PXP') })
    expect(created.name).toBe('otp')
  })

  it('lists the customer as a superuser and bulk revokes', async () => {
    const admin = clientFor(sim.state.addToken({ user: 'admin@example.com' }).access_token)
    const ids = sim.state.addTokens(5, { user: 'demo@example.com' }).map(t => t.id)
    expect((await admin.listTokensCustomer(DEMO_CUSTOMER_ID)).length).toBe(6)
    await admin.bulkRevokeTokens(ids)
    expect(sim.state.tokens()).toHaveLength(1)
  })

  it('maps the simulator’s errors: 404 lookup, over-limit bulk 400, 401 after revocation', async () => {
    const token = sim.state.addToken({ user: 'demo@example.com' })
    const client = clientFor(token.access_token)
    const notFound = await client.getToken('unknownTokenId00000000').catch((e: unknown) => e)
    expect(notFound).toBeInstanceOf(FastlyApiError)
    expect(notFound).toMatchObject({ status: 404, apiMessage: MESSAGES.tokenLookupFailed })

    sim.state.settings.maxBulkIds = 2
    const ids = sim.state.addTokens(3, { user: 'demo@example.com' }).map(t => t.id)
    const tooMany = await client.bulkRevokeTokens(ids).catch((e: unknown) => e)
    expect(tooMany).toMatchObject({ status: 400, apiMessage: MESSAGES.bulkLimit })

    await client.revokeTokenCurrent()
    await expect(client.getTokenCurrent()).rejects.toMatchObject({ status: 401 })
  })

  it('retries through injected 5xx answers and dropped connections on reads', async () => {
    const client = clientFor(sim.state.addToken({ user: 'demo@example.com' }).access_token)
    sim.state.faults = [
      { route: 'GET /tokens/self', kind: 'status5xx', times: 1 },
      { route: 'GET /tokens/self', kind: 'drop', times: 1 }
    ]
    expect((await client.getTokenCurrent()).user_id).toBe('demoUser00000000000001')
    expect(sim.state.requests().map(r => r.status)).toEqual([503, 0, 200])
  })
})
