/**
 * Every client method against the simulator (a separate implementation of the same API), the
 * way the action and the incident CLI will use them: mint with username/password, mint through
 * the sudo flow with a token, 2FA with totp(), reads, revokes, bulk, a superuser's customer list,
 * and the retry/rate-limit machinery against the simulator's faults and write budget.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import {
  FastlyApiError,
  FastlyTokensClient,
  RateLimitError,
  totp,
  TwoFactorRequiredError
} from '../../src/client/index.js'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { failure, recordingSleep } from './harness.js'

const CUSTOMER = 'demoCustomer0000000000'
let sim: Simulator
let anonymous: FastlyTokensClient

function clientFor(apiToken?: string, retry = {}): FastlyTokensClient {
  return new FastlyTokensClient({
    baseUrl: sim.url,
    apiToken,
    env: {},
    retry: { sleep: async () => {}, ...retry }
  })
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 7 })
  anonymous = clientFor()
})
afterAll(async () => {
  await anonymous.close()
  await sim.close()
})
afterEach(() => {
  sim.state.faults = []
  sim.state.settings.twoFactorShape = 'msg'
})

describe('the token lifecycle', () => {
  it('mint with username/password, then read, sudo-mint, list, revoke and bulk-revoke with the token', async () => {
    const first = await anonymous.createToken({
      username: 'demo@example.com',
      password: 'demo-password',
      name: 'ci-job',
      scope: 'global',
      expiresAt: new Date(Date.now() + 3_600_000)
    })
    expect(first.access_token).toEqual(expect.any(String))
    expect(first.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(sim.state.findByAccessToken(first.access_token)?.id).toBe(first.id)

    const client = anonymous.withToken(first.access_token)
    const self = await client.getTokenCurrent()
    expect(self).toMatchObject({ id: first.id, name: 'ci-job', customer_id: CUSTOMER, scope: 'global' })
    expect((await client.getToken(first.id)).id).toBe(first.id)

    // The sudo flow: no username, the client's token plus the password.
    const viaSudo = await client.createToken({
      password: 'demo-password',
      name: 'via-sudo',
      scope: ['purge_all', 'global:read']
    })
    expect(viaSudo.scope).toBe('purge_all global:read')
    expect(client.rateLimit?.remaining).toEqual(expect.any(Number))
    const [sudoRequest] = sim.state.requests().filter(r => r.method === 'POST' && r.path === '/sudo')
    expect(sudoRequest).toBeDefined()

    const extra = [
      await client.createToken({ password: 'demo-password', name: 'bulk-1' }),
      await client.createToken({ password: 'demo-password', name: 'bulk-2' })
    ]
    const listed = (await client.listTokensUser()).map(t => t.id)
    expect(listed).toEqual(expect.arrayContaining([first.id, viaSudo.id, ...extra.map(t => t.id)]))

    const before = client.rateLimit?.remaining ?? 0
    await client.bulkRevokeTokens(extra.map(t => t.id))
    expect(client.rateLimit?.remaining).toBe(before - 1)
    await client.revokeToken(viaSudo.id)
    const remaining = (await client.listTokensUser()).map(t => t.id)
    for (const gone of [viaSudo.id, ...extra.map(t => t.id)]) expect(remaining).not.toContain(gone)

    const missing = (await failure(client.getToken(viaSudo.id))) as FastlyApiError
    expect(missing.status).toBe(404)

    await client.revokeTokenCurrent()
    const revoked = (await failure(client.getTokenCurrent())) as FastlyApiError
    expect(revoked.status).toBe(401)
    await client.close()
  })

  it('a superuser lists the customer tokens; a plain user is refused', async () => {
    const admin = await anonymous.createToken({
      username: 'admin@example.com',
      password: 'admin-password',
      name: 'admin'
    })
    const user = await anonymous.createToken({
      username: 'demo@example.com',
      password: 'demo-password',
      name: 'user'
    })
    const adminClient = anonymous.withToken(admin.access_token)
    const tokens = await adminClient.listTokensCustomer(CUSTOMER)
    expect(tokens.map(t => t.id)).toEqual(expect.arrayContaining([admin.id, user.id]))
    expect(tokens.every(t => t.customer_id === CUSTOMER)).toBe(true)

    const refused = (await failure(
      anonymous.withToken(user.access_token).listTokensCustomer(CUSTOMER)
    )) as FastlyApiError
    expect(refused.status).toBe(403)
  })

  it('a wrong password is a FastlyApiError with the API code, not a 2FA error', async () => {
    const error = (await failure(
      anonymous.createToken({ username: 'demo@example.com', password: 'not-the-password' })
    )) as FastlyApiError
    expect(error).not.toBeInstanceOf(TwoFactorRequiredError)
    expect(error.status).toBe(400)
    expect(error.code).toBe('invalid_grant')
    expect(error.message).not.toContain('not-the-password')
  })
})

describe('two-factor accounts', () => {
  for (const shape of ['msg', 'code', 'nested'] as const) {
    it(`${shape} challenge: no OTP and a wrong OTP are typed errors, totp() gets the token`, async () => {
      sim.state.settings.twoFactorShape = shape
      const input = { username: '2fa@example.com', password: '2fa-password', name: `2fa-${shape}` }

      const needed = await failure(anonymous.createToken(input))
      expect(needed).toBeInstanceOf(TwoFactorRequiredError)
      expect((needed as TwoFactorRequiredError).otpWasSent).toBe(false)
      expect(needed.message).toMatch(/one-time password is needed/)

      // The simulator accepts the neighbouring 30-second steps too: pick a code none of them has.
      const at = sim.state.clock.now()
      const valid = [-30_000, 0, 30_000].map(d => totp('JBSWY3DPEHPK3PXP', at + d))
      const wrongCode = valid.includes('000000') ? '111111' : '000000'
      const refused = await failure(anonymous.createToken({ ...input, otp: wrongCode }))
      expect(refused).toBeInstanceOf(TwoFactorRequiredError)
      expect((refused as TwoFactorRequiredError).otpWasSent).toBe(true)
      expect(refused.message).not.toContain(wrongCode)

      const created = await anonymous.createToken({
        ...input,
        otp: totp('JBSWY3DPEHPK3PXP', sim.state.clock.now())
      })
      expect(created.name).toBe(`2fa-${shape}`)
    })
  }

  it('the sudo flow of a 2FA account sends the OTP with POST /tokens', async () => {
    const otp = () => totp('JBSWY3DPEHPK3PXP', sim.state.clock.now())
    const first = await anonymous.createToken({
      username: '2fa@example.com',
      password: '2fa-password',
      otp: otp()
    })
    const client = anonymous.withToken(first.access_token)
    await expect(client.createToken({ password: '2fa-password' })).rejects.toBeInstanceOf(
      TwoFactorRequiredError
    )
    const created = await client.createToken({ password: '2fa-password', name: 'sudo-2fa', otp: otp() })
    expect(created.name).toBe('sudo-2fa')
  })
})

describe('faults and the write budget', () => {
  it('GETs ride out injected 5xx answers and dropped connections', async () => {
    const token = await anonymous.createToken({ username: 'demo@example.com', password: 'demo-password' })
    const sleep = recordingSleep()
    const client = clientFor(token.access_token, sleep)
    sim.state.faults = [
      { route: 'GET /tokens/self', kind: 'status5xx', times: 1 },
      { route: 'GET /tokens/self', kind: 'drop', times: 1 }
    ]
    expect((await client.getTokenCurrent()).id).toBe(token.id)
    expect(sleep.waits).toHaveLength(2)
    await client.close()
  })

  it('POST /tokens is not repeated after a failure that came after the token was minted', async () => {
    const before = sim.state.tokens().length
    sim.state.faults = [{ route: 'POST /tokens', kind: 'status5xx', phase: 'after', times: 1 }]
    const error = (await failure(
      anonymous.createToken({ username: 'demo@example.com', password: 'demo-password', name: 'ambiguous' })
    )) as FastlyApiError
    expect(error.status).toBe(503)
    // Exactly one token was minted by the one request: a retry would have made a second.
    expect(sim.state.tokens().length).toBe(before + 1)
    expect(sim.state.tokens().filter(t => t.name === 'ambiguous')).toHaveLength(1)
  })

  it('an exhausted write budget: waits for the reset within the deadline, else RateLimitError', async () => {
    // A fixed base clock: the hourly window cannot roll over by itself during the test.
    const base = Date.UTC(2026, 0, 1, 12, 30)
    const limited = await startSimulator({ seed: 11, writeLimitPerHour: 2, clock: { now: () => base } })
    try {
      const minting = new FastlyTokensClient({ baseUrl: limited.url, env: {} })
      const first = await minting.createToken({ username: 'demo@example.com', password: 'demo-password' })
      await minting.close()
      const now = () => limited.state.clock.now()
      const waits: number[] = []
      const client = new FastlyTokensClient({
        baseUrl: limited.url,
        apiToken: first.access_token,
        env: {},
        retry: {
          now,
          // Instead of sleeping, move the simulator's clock by the wait.
          sleep: async ms => {
            waits.push(ms)
            limited.state.clock.advance(ms)
          }
        }
      })
      const spare = limited.state.addTokens(2, { user: 'demo@example.com' })
      await client.revokeToken(spare[0]!.id) // the second write of this hour

      const tooSoon = (await failure(
        client.revokeToken(spare[1]!.id, { deadline: now() + 1000 })
      )) as RateLimitError
      expect(tooSoon).toBeInstanceOf(RateLimitError)
      expect(tooSoon.resetAt.toISOString()).toBe('2026-01-01T13:00:00.000Z')
      expect(tooSoon.message).toContain(tooSoon.resetAt.toISOString())
      expect(client.rateLimit?.remaining).toBe(0)

      const resetAt = tooSoon.resetAt.getTime()
      await client.revokeToken(spare[1]!.id, { deadline: now() + 2 * 3_600_000 })
      expect(waits).toEqual([resetAt - base])
      expect(now()).toBe(resetAt)
      expect(limited.state.token(spare[1]!.id)).toBeUndefined()
      await client.close()
    } finally {
      await limited.close()
    }
  })
})
