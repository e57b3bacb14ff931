/** POST /tokens and POST /sudo: the two ways in, validation, and two-factor accounts. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { CreatedToken } from '../../src/types.js'
import type { Simulator, TwoFactorShape } from '../../src/simulator/index.js'
import { MESSAGES, startSimulator } from '../../src/simulator/index.js'
import { call, DEMO_LOGIN, fixedClock, otpFor, START_MS, withSim } from './helpers.js'

const TWO_FA = { username: '2fa@example.com', password: '2fa-password' }
const SECRET = 'JBSWY3DPEHPK3PXP'

describe('POST /tokens', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ clock: fixedClock() })
  })
  afterAll(() => sim.close())

  it('creates a token from username + password form fields without a Fastly-Key', async () => {
    const reply = await call(sim, 'POST', '/tokens', { form: { ...DEMO_LOGIN, name: 'ci job' } })
    expect(reply.status).toBe(200)
    const token = reply.json() as CreatedToken
    expect(token).toMatchObject({
      name: 'ci job',
      scope: 'global',
      services: [],
      service_id: null,
      expires_at: null
    })
    expect(token.user_id).toBe('demoUser00000000000001')
    // The new token works at once, and its first use is recorded.
    const self = await call(sim, 'GET', '/tokens/self', { key: token.access_token })
    expect(self.json()).toMatchObject({
      id: token.id,
      scopes: ['global'],
      last_used_at: '2021-11-02T18:46:13Z'
    })
  })

  it('accepts HTTP basic credentials (the spec’s username_and_password scheme)', async () => {
    const basic = Buffer.from('demo@example.com:demo-password').toString('base64')
    const reply = await call(sim, 'POST', '/tokens', {
      headers: { authorization: `Basic ${basic}` },
      form: { name: 'basic' }
    })
    expect(reply.status).toBe(200)
  })

  it('refuses a wrong password with 400 invalid_grant, and no credentials at all with 401', async () => {
    const wrong = await call(sim, 'POST', '/tokens', {
      form: { username: 'demo@example.com', password: 'nope' }
    })
    expect(wrong.status).toBe(400)
    expect(wrong.json()).toEqual({ msg: 'invalid_grant', detail: 'Invalid username or password.' })
    expect(wrong.text).not.toContain('nope')
    const unknownUser = await call(sim, 'POST', '/tokens', {
      form: { username: 'who@example.com', password: 'x' }
    })
    expect(unknownUser.status).toBe(400)
    const none = await call(sim, 'POST', '/tokens', { form: { name: 'x' } })
    expect(none.status).toBe(401)
    expect((none.json() as { msg: string }).msg).toBe(MESSAGES.unauthorized)
  })

  it('with a Fastly-Key: 403 until POST /sudo, then 200 for five minutes of simulator time', async () => {
    const local = await startSimulator({ clock: fixedClock() })
    try {
      const key = local.state.addToken({ user: 'demo@example.com' }).access_token
      const before = await call(local, 'POST', '/tokens', { key, form: { name: 'via key' } })
      expect(before.status).toBe(403)
      expect(before.json()).toMatchObject({ msg: 'You must POST /sudo to access this endpoint' })

      // Password only (as the CLI sends it), form-encoded.
      const sudo = await call(local, 'POST', '/sudo', { key, form: { password: 'demo-password' } })
      expect(sudo.status).toBe(200)
      expect(sudo.json()).toEqual({ expiry_time: '2021-11-02T18:51:13+00:00' })
      expect(local.state.findByAccessToken(key)?.sudo_expires_at).toBe('2021-11-02T18:51:13Z')

      const created = await call(local, 'POST', '/tokens', {
        key,
        form: { name: 'via key', scope: 'purge_all' }
      })
      expect(created.status).toBe(200)
      expect(created.json()).toMatchObject({
        name: 'via key',
        scope: 'purge_all',
        user_id: 'demoUser00000000000001'
      })

      local.state.clock.advance(5 * 60_000)
      expect((await call(local, 'POST', '/tokens', { key, form: { name: 'late' } })).status).toBe(403)
    } finally {
      await local.close()
    }
  })

  it('POST /sudo takes a JSON body with username too, and refuses a wrong password or another user', async () => {
    const key = sim.state.addToken({ user: 'demo@example.com' }).access_token
    const json = await call(sim, 'POST', '/sudo', {
      key,
      json: { username: 'demo@example.com', password: 'demo-password' }
    })
    expect(json.status).toBe(200)
    const wrong = await call(sim, 'POST', '/sudo', { key, json: { password: 'wrong' } })
    expect(wrong.status).toBe(403)
    expect(wrong.text).not.toContain('wrong"')
    const otherUser = await call(sim, 'POST', '/sudo', {
      key,
      form: { username: 'admin@example.com', password: 'admin-password' }
    })
    expect(otherUser.status).toBe(403)
    const missing = await call(sim, 'POST', '/sudo', { key, form: {} })
    expect(missing.status).toBe(400)
    const noKey = await call(sim, 'POST', '/sudo', { form: DEMO_LOGIN })
    expect(noKey.status).toBe(401)
  })

  it('validates scope: space-delimited combinations of the four scopes, unknown ones 400', async () => {
    const combo = await call(sim, 'POST', '/tokens', {
      form: { ...DEMO_LOGIN, scope: 'purge_all global:read' }
    })
    expect(combo.status).toBe(200)
    expect((combo.json() as CreatedToken).scope).toBe('purge_all global:read')
    const listed = sim.state.token((combo.json() as CreatedToken).id)
    expect(listed?.scopes).toEqual(['purge_all', 'global:read'])
    const bad = await call(sim, 'POST', '/tokens', { form: { ...DEMO_LOGIN, scope: 'global admin' } })
    expect(bad.status).toBe(400)
    expect(bad.json()).toMatchObject({ msg: 'invalid_scope' })
    expect((bad.json() as { detail: string }).detail).toContain('"admin"')
  })

  it('takes services[] and services alike; service_id is the last one', async () => {
    for (const field of ['services[]', 'services']) {
      const reply = await call(sim, 'POST', '/tokens', {
        form: { ...DEMO_LOGIN, [field]: ['svcA000000000000000001', 'svcB000000000000000002'] }
      })
      expect(reply.status).toBe(200)
      expect(reply.json()).toMatchObject({
        services: ['svcA000000000000000001', 'svcB000000000000000002'],
        service_id: 'svcB000000000000000002'
      })
    }
    const bad = await call(sim, 'POST', '/tokens', {
      form: { ...DEMO_LOGIN, 'services[]': 'not a service!' }
    })
    expect(bad.status).toBe(400)
  })

  it('expires_at: ISO 8601 accepted and stored in whole seconds, past 400, malformed 422', async () => {
    const ok = await call(sim, 'POST', '/tokens', {
      form: { ...DEMO_LOGIN, expires_at: '2021-11-02T19:46:13.750+00:00' }
    })
    expect(ok.status).toBe(200)
    expect((ok.json() as CreatedToken).expires_at).toBe('2021-11-02T19:46:13Z')
    const offset = await call(sim, 'POST', '/tokens', {
      form: { ...DEMO_LOGIN, expires_at: '2021-11-02T20:00:00+0100' }
    })
    expect((offset.json() as CreatedToken).expires_at).toBe('2021-11-02T19:00:00Z')
    const past = await call(sim, 'POST', '/tokens', {
      form: { ...DEMO_LOGIN, expires_at: '2021-11-02T18:46:13Z' }
    })
    expect(past.status).toBe(400)
    expect(past.json()).toMatchObject({ msg: 'invalid_request' })
    for (const malformed of ['tomorrow', '2021-11-02', '2021-02-30T10:00:00Z', '2021-11-02T25:00:00Z']) {
      const reply = await call(sim, 'POST', '/tokens', { form: { ...DEMO_LOGIN, expires_at: malformed } })
      expect({ malformed, status: reply.status }).toEqual({ malformed, status: 422 })
      expect((reply.json() as { msg: string }).msg).toBe(MESSAGES.expiresAtFormat)
    }
  })
})

describe('two-factor accounts', () => {
  it('answer 400 2fa.verify until a valid Fastly-OTP is sent (default msg shape)', async () => {
    await withSim({}, async sim => {
      const challenge = await call(sim, 'POST', '/tokens', { form: TWO_FA })
      expect(challenge.status).toBe(400)
      expect(challenge.json()).toMatchObject({ msg: '2fa.verify' })
      // A code from ten minutes later: valid-looking, outside the window.
      const wrong = await call(sim, 'POST', '/tokens', {
        form: TWO_FA,
        headers: { 'fastly-otp': otpFor(SECRET, START_MS + 10 * 60_000) }
      })
      expect(wrong.json()).toEqual({ msg: '2fa.verify', detail: 'Invalid one-time password.' })
      const ok = await call(sim, 'POST', '/tokens', {
        form: TWO_FA,
        headers: { 'fastly-otp': otpFor(SECRET, START_MS) }
      })
      expect(ok.status).toBe(200)
      expect(sim.state.tokens()).toHaveLength(1)
    })
  })

  it('accept the neighbouring 30-second steps and refuse codes two steps away', async () => {
    await withSim({}, async sim => {
      for (const [delta, status] of [
        [-30_000, 200],
        [30_000, 200],
        [-60_000, 400],
        [60_000, 400]
      ] as const) {
        const otp = otpFor(SECRET, START_MS + delta)
        const reply = await call(sim, 'POST', '/tokens', { form: TWO_FA, headers: { 'fastly-otp': otp } })
        expect({ delta, status: reply.status }).toEqual({ delta, status })
      }
    })
  })

  it.each<[TwoFactorShape, unknown, unknown]>([
    ['code', { code: '2fa.verify' }, { code: '2fa.verify' }],
    [
      'nested',
      { msg: { error: '2fa.verify', error_description: expect.any(String) } },
      { msg: { error: '2fa.verify', error_description: 'Invalid one-time password.' } }
    ],
    [
      'msg',
      { msg: '2fa.verify', detail: expect.any(String) },
      { msg: '2fa.verify', detail: 'Invalid one-time password.' }
    ]
  ])('send the configured %s body shape', async (shape, missing, invalid) => {
    await withSim({ twoFactorShape: shape }, async sim => {
      expect((await call(sim, 'POST', '/tokens', { form: TWO_FA })).json()).toEqual(missing)
      const wrongOtp = otpFor(SECRET, START_MS + 10 * 60_000)
      expect(
        (await call(sim, 'POST', '/tokens', { form: TWO_FA, headers: { 'fastly-otp': wrongOtp } })).json()
      ).toEqual(invalid)
    })
  })

  it('also need the OTP when creating with a Fastly-Key in sudo mode', async () => {
    await withSim({}, async sim => {
      const key = sim.state.addToken({ user: '2fa@example.com' }).access_token
      expect((await call(sim, 'POST', '/sudo', { key, form: { password: '2fa-password' } })).status).toBe(200)
      expect((await call(sim, 'POST', '/tokens', { key, form: { name: 'x' } })).json()).toMatchObject({
        msg: '2fa.verify'
      })
      const ok = await call(sim, 'POST', '/tokens', {
        key,
        form: { name: 'x' },
        headers: { 'fastly-otp': otpFor(SECRET, START_MS) }
      })
      expect(ok.status).toBe(200)
    })
  })
})
