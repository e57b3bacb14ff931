/**
 * The simulator's answers against the real API's recorded ones (go-fastly's cassettes): same
 * status codes, content types, keys in the same order, same kinds and nullability, and
 * rate-limit headers on the non-GET answers only.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { CreatedToken } from '../../src/types.js'
import type { Simulator } from '../../src/simulator/index.js'
import { DEMO_CUSTOMER_ID, startSimulator } from '../../src/simulator/index.js'
import {
  ADMIN_LOGIN,
  BULK_HEADERS,
  bulkBody,
  call,
  createViaPassword,
  fixedClock,
  keysOf,
  recorded,
  recordedHeader,
  shapeOf
} from './helpers.js'

const API_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/
const TOKEN_ID = /^[A-Za-z0-9]{22}$/
const ACCESS_TOKEN = /^[A-Za-z0-9_-]{32}$/

function sortedShapes(list: unknown[]): string[] {
  return list.map(item => JSON.stringify(shapeOf(item))).sort()
}

describe('answers have the recorded shapes', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ clock: fixedClock(), seed: 7 })
  })
  afterAll(() => sim.close())

  it('POST /tokens without services matches create.json (service_id null, services [])', async () => {
    const [, createRecord] = recorded('create')
    const reply = await call(sim, 'POST', '/tokens', {
      form: { ...ADMIN_LOGIN, name: 'my-test-token', scope: 'global' }
    })
    expect(reply.status).toBe(createRecord!.response.status)
    expect(reply.headers['content-type']).toBe(recordedHeader(createRecord!, 'content-type'))
    const body = reply.json() as CreatedToken
    const expected = JSON.parse(createRecord!.response.body) as unknown
    expect(keysOf(body)).toEqual(keysOf(expected))
    expect(shapeOf(body)).toEqual(shapeOf(expected))
    expect(body.service_id).toBeNull()
    expect(body.services).toEqual([])
    expect(body.id).toMatch(TOKEN_ID)
    expect(body.access_token).toMatch(ACCESS_TOKEN)
    expect(body.created_at).toMatch(API_TIME)
    expect(body.created_at).toBe('2021-11-02T18:46:13Z')
    expect(body.updated_at).toBe(body.created_at)
    expect(body.customer_id).toBe(DEMO_CUSTOMER_ID)
  })

  it('POST /tokens with services[] matches create_and_bulk_delete.json (service_id = last service)', async () => {
    const record = recorded('create_and_bulk_delete')[1]!
    const reply = await call(sim, 'POST', '/tokens', {
      body: record.request.body
        .replace(/username=[^&]*/, 'username=admin%40example.com')
        .replace(/password=[^&]*/, 'password=admin-password'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' }
    })
    expect(reply.status).toBe(200)
    const body = reply.json() as CreatedToken
    const expected = JSON.parse(record.response.body) as CreatedToken
    expect(JSON.stringify(shapeOf(body))).toBe(JSON.stringify(shapeOf(expected)))
    expect(body.services).toEqual(expected.services)
    expect(body.service_id).toBe(expected.service_id)
    expect(body.name).toBe(expected.name)
    expect(body.scope).toBe('global')
  })

  it('POST /sudo answers {"expiry_time": "...+00:00"} five minutes ahead, as recorded', async () => {
    const record = recorded('create_and_bulk_delete')[0]!
    const token = await createViaPassword(sim, {}, ADMIN_LOGIN)
    const reply = await call(sim, 'POST', '/sudo', { key: token.access_token, form: { ...ADMIN_LOGIN } })
    expect(reply.status).toBe(record.response.status)
    expect(reply.headers['content-type']).toBe('application/json')
    expect(JSON.stringify(shapeOf(reply.json()))).toBe(
      JSON.stringify(shapeOf(JSON.parse(record.response.body)))
    )
    expect(reply.json()).toEqual({ expiry_time: '2021-11-02T18:51:13+00:00' })
  })

  it('GET /tokens/self matches get_self.json and carries no rate-limit headers', async () => {
    const record = recorded('get_self')[0]!
    const token = sim.state.addToken({
      user: 'admin@example.com',
      name: 'self',
      services: ['7frORaFZvHgC6eRAJdA7kf']
    })
    const reply = await call(sim, 'GET', '/tokens/self', {
      key: token.access_token,
      headers: { 'user-agent': 'shape-test/1.0' }
    })
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toBe(recordedHeader(record, 'content-type'))
    const body = reply.json() as Record<string, unknown>
    const expected = JSON.parse(record.response.body) as unknown
    expect(keysOf(body)).toEqual(keysOf(expected))
    expect(JSON.stringify(shapeOf(body))).toBe(JSON.stringify(shapeOf(expected)))
    expect(body.last_used_at).toBe('2021-11-02T18:46:13Z')
    expect(body.ip).toBe('127.0.0.1')
    expect(body.user_agent).toBe('shape-test/1.0')
    expect(body.service_id).toBe('7frORaFZvHgC6eRAJdA7kf')
    expect(reply.headers['fastly-ratelimit-remaining']).toBeUndefined()
    expect(reply.headers['fastly-ratelimit-reset']).toBeUndefined()
    expect(reply.headers['cache-control']).toBe('no-store')
  })

  it('GET /tokens and GET /customer/{id}/tokens match list.json and list_customer.json', async () => {
    // The same four kinds of token as recorded: a session in sudo mode, a used token, a never
    // used read-only token with an expiry and services, and the caller (used, with a service).
    const local = await startSimulator({ clock: fixedClock(), seed: 8 })
    try {
      const session = local.state.addToken({
        user: 'admin@example.com',
        name: 'manage.fastly.com browser session'
      })
      const used = local.state.addToken({ user: 'admin@example.com', name: 'used' })
      local.state.addToken({
        user: 'admin@example.com',
        name: 'read only',
        scope: 'global:read',
        services: ['svc0000000000000000001'],
        expiresAt: '2022-02-02T10:20:53Z'
      })
      const caller = local.state.addToken({
        user: 'admin@example.com',
        name: 'caller',
        services: ['svc0000000000000000002']
      })
      expect(
        (await call(local, 'POST', '/sudo', { key: session.access_token, form: ADMIN_LOGIN })).status
      ).toBe(200)
      expect((await call(local, 'GET', '/tokens/self', { key: used.access_token })).status).toBe(200)

      for (const [fixture, path] of [
        ['list', '/tokens'],
        ['list_customer', `/customer/${DEMO_CUSTOMER_ID}/tokens`]
      ] as const) {
        const record = recorded(fixture)[0]!
        const reply = await call(local, 'GET', path, { key: caller.access_token })
        expect(reply.status).toBe(record.response.status)
        expect(reply.headers['content-type']).toBe(recordedHeader(record, 'content-type'))
        expect(reply.headers['fastly-ratelimit-remaining']).toBeUndefined()
        const list = reply.json() as unknown[]
        const expected = JSON.parse(record.response.body) as unknown[]
        expect(sortedShapes(list)).toEqual(sortedShapes(expected))
        for (const item of list) expect(keysOf(item)).toEqual(keysOf(expected[0]))
      }
    } finally {
      await local.close()
    }
  })

  it('the three DELETEs answer 204 with an empty body, no Content-Type, and rate-limit headers', async () => {
    const cases: Array<{ fixture: string; run: () => Promise<Awaited<ReturnType<typeof call>>> }> = []
    const byId = await createViaPassword(sim, {}, ADMIN_LOGIN)
    const caller = await createViaPassword(sim, {}, ADMIN_LOGIN)
    const self = await createViaPassword(sim, {}, ADMIN_LOGIN)
    const bulk = [
      await createViaPassword(sim, {}, ADMIN_LOGIN),
      await createViaPassword(sim, {}, ADMIN_LOGIN)
    ]
    cases.push({
      fixture: 'delete',
      run: () => call(sim, 'DELETE', `/tokens/${byId.id}`, { key: caller.access_token })
    })
    cases.push({
      fixture: 'delete_self',
      run: () => call(sim, 'DELETE', '/tokens/self', { key: self.access_token })
    })
    const bulkRecord = recorded('create_and_bulk_delete')[4]!
    cases.push({
      fixture: 'create_and_bulk_delete',
      run: () =>
        call(sim, 'DELETE', '/tokens', {
          key: caller.access_token,
          headers: { ...BULK_HEADERS, accept: bulkRecord.request.headers.Accept![0]! },
          body: bulkBody(bulk.map(t => t.id)) + '\n'
        })
    })
    for (const { fixture, run } of cases) {
      const record = recorded(fixture).at(-1)!
      const reply = await run()
      expect({ fixture, status: reply.status }).toEqual({ fixture, status: record.response.status })
      expect(reply.text).toBe('')
      expect(reply.headers['content-type']).toBeUndefined()
      expect(recordedHeader(record, 'content-type')).toBeUndefined()
      expect(reply.headers['cache-control']).toBe('no-store')
      expect(reply.headers['fastly-ratelimit-remaining']).toMatch(/^\d+$/)
      expect(Number(reply.headers['fastly-ratelimit-reset']) % 3600).toBe(0)
      expect(recordedHeader(record, 'fastly-ratelimit-remaining')).toMatch(/^\d+$/)
    }
    expect(sim.state.token(byId.id)).toBeUndefined()
    expect(sim.state.token(self.id)).toBeUndefined()
    expect(bulk.map(t => sim.state.token(t.id))).toEqual([undefined, undefined])
  })

  it('every write answer carries the rate-limit headers and every read answer none, errors included', async () => {
    const token = await createViaPassword(sim, {}, ADMIN_LOGIN)
    const writes = [
      await call(sim, 'POST', '/sudo', { key: token.access_token, form: {} }),
      await call(sim, 'DELETE', '/tokens/nope', { key: token.access_token }),
      await call(sim, 'DELETE', '/tokens/self', { key: 'not-a-token' }),
      await call(sim, 'POST', '/nowhere', {})
    ]
    for (const reply of writes) {
      expect(reply.status).toBeGreaterThanOrEqual(400)
      expect(reply.headers['fastly-ratelimit-remaining']).toMatch(/^\d+$/)
      expect(reply.headers['fastly-ratelimit-reset']).toMatch(/^\d+$/)
      expect(reply.headers['content-type']).toBe('application/json')
    }
    const reads = [
      await call(sim, 'GET', '/tokens/self', { key: 'not-a-token' }),
      await call(sim, 'GET', '/tokens/nope', { key: token.access_token }),
      await call(sim, 'GET', '/nowhere')
    ]
    for (const reply of reads) {
      expect(reply.status).toBeGreaterThanOrEqual(400)
      expect(reply.headers['fastly-ratelimit-remaining']).toBeUndefined()
      expect(reply.headers['content-type']).toBe('application/json')
    }
  })

  it("replays go-fastly's recorded sequence: /sudo and /tokens with the same form, then the bulk delete", async () => {
    const record = recorded('create_and_bulk_delete')
    const local = await startSimulator({
      clock: fixedClock(),
      users: [{ email: 'testing@fastly.com', password: 'foobar', customerId: '51MumwLiSJyFTWhtbByYgR' }]
    })
    try {
      const key = local.state.addToken({ user: 'testing@fastly.com' }).access_token
      const created: string[] = []
      for (const interaction of record.slice(0, 4)) {
        const { method, url, headers, body } = interaction.request
        const reply = await call(local, method, new URL(url).pathname, {
          key,
          headers: { 'content-type': headers['Content-Type']![0]!, 'user-agent': headers['User-Agent']![0]! },
          body
        })
        expect(reply.status).toBe(interaction.response.status)
        const answer = reply.json() as Record<string, unknown>
        const expected = JSON.parse(interaction.response.body) as Record<string, unknown>
        expect(JSON.stringify(shapeOf(answer))).toBe(JSON.stringify(shapeOf(expected)))
        if (url.endsWith('/tokens')) {
          expect(answer).toMatchObject({
            name: expected.name,
            services: expected.services,
            service_id: expected.service_id
          })
          created.push(answer.id as string)
        }
        expect(Number(reply.headers['fastly-ratelimit-remaining'])).toBe(
          1000 - local.state.writesUsed('testing@fastly.com')
        )
      }
      const bulk = record[4]!
      const body = bulk.request.body
        .replace('2j1hEyxXOEqYaSipeZHaW4', created[0]!)
        .replace('5NSGsvF9ybBxXAdEQhcYPz', created[1]!)
      const reply = await call(local, 'DELETE', '/tokens', {
        key,
        headers: {
          'content-type': bulk.request.headers['Content-Type']![0]!,
          accept: bulk.request.headers.Accept![0]!
        },
        body
      })
      expect(reply.status).toBe(bulk.response.status)
      expect(local.state.tokens()).toHaveLength(1)
    } finally {
      await local.close()
    }
  })

  it('the list shape has the documented key order exactly', async () => {
    const token = await createViaPassword(sim, {}, ADMIN_LOGIN)
    const reply = await call(sim, 'GET', `/tokens/${token.id}`, { key: token.access_token })
    expect(keysOf(reply.json())).toEqual([
      'id',
      'user_id',
      'customer_id',
      'name',
      'last_used_at',
      'created_at',
      'expires_at',
      'ip',
      'user_agent',
      'sudo_expires_at',
      'scopes',
      'scope',
      'services',
      'service_id'
    ])
  })
})
