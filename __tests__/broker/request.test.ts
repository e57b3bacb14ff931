/** requestBrokerToken against a scripted broker over loopback: what it sends, what it retries,
 *  what it reports, and that neither the ID token nor an access token reaches a message. */
import { afterEach, describe, expect, it } from '@jest/globals'
import { BrokerError, requestBrokerToken } from '../../src/broker/request.js'
import { freePort, json, startScriptedServer, type ScriptedServer } from '../http/scripted-server.js'

const ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJlLXNlY3JldC12YWx1ZQ'
const ACCESS = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345'
const TOKEN = {
  access_token: ACCESS,
  id: 'tokenId000000000000001',
  name: 'gha/acme/shop/run-1-1/deploy',
  scope: 'purge_select',
  services: ['SU1Z0isxPaozGVKXdv0eY'],
  expires_at: '2030-01-01T00:00:00Z',
  policy: 'deploy-production'
}
/** A clock that moves only when the request function sleeps: no real waiting, no timing. */
function fakeTime(start = 1_900_000_000_000) {
  let now = start
  const waits: number[] = []
  return {
    waits,
    retry: {
      now: () => now,
      sleep: async (ms: number) => {
        waits.push(ms)
        now += ms
      },
      random: () => 0.5
    }
  }
}

let server: ScriptedServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function caught(promise: Promise<unknown>): Promise<BrokerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(BrokerError)
  const message = (error as BrokerError).message
  expect(message).not.toContain(ID_TOKEN)
  expect(message).not.toContain(ACCESS)
  return error as BrokerError
}

describe('requestBrokerToken', () => {
  it('posts the ID token as bearer with the JSON body and returns the token', async () => {
    server = await startScriptedServer([json(200, TOKEN)])
    const token = await requestBrokerToken({
      brokerUrl: `${server.url}/prefix/`,
      idToken: ID_TOKEN,
      scope: ' purge_select  ',
      services: ['SU1Z0isxPaozGVKXdv0eY'],
      expiresIn: 900,
      userAgent: 'my-action/1'
    })
    expect(token).toEqual(TOKEN)
    const [sent] = server.requests
    expect(sent?.method).toBe('POST')
    expect(sent?.url).toBe('/prefix/v1/token')
    expect(sent?.headers.authorization).toBe(`Bearer ${ID_TOKEN}`)
    expect(sent?.headers['user-agent']).toMatch(/^my-action\/1 fastly-token-action\//)
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      scope: 'purge_select',
      services: ['SU1Z0isxPaozGVKXdv0eY'],
      expires_in: 900
    })
  })

  it('sends an empty object when the caller leaves every choice to the policy', async () => {
    server = await startScriptedServer([json(200, TOKEN)])
    await requestBrokerToken({ brokerUrl: server.url, idToken: ID_TOKEN })
    expect(server.requests[0]?.body).toBe('{}')
  })

  it.each([
    [403, 'policy_scope', false],
    [401, 'invalid_token', false],
    [400, 'bad_request', false],
    [502, 'fastly_error', true],
    [504, 'fastly_timeout', true]
  ])('reports %i %s without retrying (mayHaveTakenEffect %s)', async (status, code, may) => {
    server = await startScriptedServer(() =>
      json(status, { error: code, message: `refused; echo ${ID_TOKEN}` })
    )
    const error = await caught(requestBrokerToken({ brokerUrl: server.url, idToken: ID_TOKEN }))
    expect(server.requests).toHaveLength(1)
    expect(error.status).toBe(status)
    expect(error.code).toBe(code)
    expect(error.mayHaveTakenEffect).toBe(may)
    expect(error.message).toContain('[redacted]')
  })

  it.each([429, 503])('retries %i as Retry-After says, then returns the token', async status => {
    const time = fakeTime()
    server = await startScriptedServer([
      json(status, { error: 'rate_limited', message: 'slow down' }, { 'Retry-After': '7' }),
      json(status, { error: 'rate_limited', message: 'slow down' }, { 'Retry-After': '3' }),
      json(200, TOKEN)
    ])
    const token = await requestBrokerToken({ brokerUrl: server.url, idToken: ID_TOKEN, retry: time.retry })
    expect(token.id).toBe(TOKEN.id)
    expect(time.waits).toEqual([7000, 3000])
    expect(server.requests).toHaveLength(3)
  })

  it('gives up on a 429 whose wait ends after the deadline, saying so', async () => {
    const time = fakeTime()
    server = await startScriptedServer(() =>
      json(429, { error: 'rate_limited', message: 'slow down' }, { 'Retry-After': '120' })
    )
    const error = await caught(
      requestBrokerToken({
        brokerUrl: server.url,
        idToken: ID_TOKEN,
        deadline: time.retry.now() + 60_000,
        retry: time.retry
      })
    )
    expect(server.requests).toHaveLength(1)
    expect(error.status).toBe(429)
    expect(error.retryAfterSeconds).toBe(120)
    expect(error.mayHaveTakenEffect).toBe(false)
    expect(error.message).toMatch(/deadline/)
  })

  it('stops after maxAttempts of 503', async () => {
    const time = fakeTime()
    server = await startScriptedServer(() => json(503, { error: 'overloaded', message: 'busy' }))
    const error = await caught(
      requestBrokerToken({
        brokerUrl: server.url,
        idToken: ID_TOKEN,
        retry: { ...time.retry, maxAttempts: 3 }
      })
    )
    expect(server.requests).toHaveLength(3)
    expect(error.attempts).toBe(3)
    expect(error.code).toBe('overloaded')
  })

  it('reports a dropped answer and an unreadable 200 as may-have-minted, without retrying', async () => {
    server = await startScriptedServer([{ drop: true }])
    const dropped = await caught(requestBrokerToken({ brokerUrl: server.url, idToken: ID_TOKEN }))
    expect(dropped.mayHaveTakenEffect).toBe(true)
    expect(dropped.status).toBeUndefined()

    server.script(() => ({ status: 200, body: `{"access_token": 5, "echo": "${ACCESS}"}` }))
    const unreadable = await caught(requestBrokerToken({ brokerUrl: server.url, idToken: ID_TOKEN }))
    expect(unreadable).toMatchObject({ status: 200, code: 'invalid_response', mayHaveTakenEffect: true })
    expect(server.requests).toHaveLength(2)
  })

  it('reports a timeout as may-have-minted', async () => {
    server = await startScriptedServer([{ hang: true }])
    const error = await caught(
      requestBrokerToken({ brokerUrl: server.url, idToken: ID_TOKEN, timeoutMs: 200 })
    )
    expect(error).toMatchObject({ code: 'timeout', mayHaveTakenEffect: true })
  })

  it('retries a refused connection (nothing was sent) and reports it as not minted', async () => {
    const time = fakeTime()
    const port = await freePort()
    const error = await caught(
      requestBrokerToken({
        brokerUrl: `http://127.0.0.1:${port}`,
        idToken: ID_TOKEN,
        retry: { ...time.retry, maxAttempts: 2 }
      })
    )
    expect(error).toMatchObject({ code: 'ECONNREFUSED', mayHaveTakenEffect: false, attempts: 2 })
  })

  it.each([
    [{ brokerUrl: 'http://broker.example.com' }, /plain http/],
    [{ brokerUrl: 'ftp://127.0.0.1' }, /http\(s\)/],
    [{ brokerUrl: `https://u:${ID_TOKEN}@broker.example.com` }, /credentials/],
    [{ brokerUrl: 'not a url' }, /absolute URL/],
    [{ idToken: 'two words' }, /idToken/],
    [{ idToken: '' }, /idToken/],
    [{ expiresIn: 1.5 }, /expiresIn/],
    [{ expiresIn: 0 }, /expiresIn/],
    [{ scope: ' ' }, /scope/],
    [{ services: 'SU1' as unknown as string[] }, /services/]
  ])('refuses bad input before any request: %o', async (change, pattern) => {
    server = await startScriptedServer([json(200, TOKEN)])
    const error = await requestBrokerToken({ brokerUrl: server.url, idToken: ID_TOKEN, ...change }).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(error).toBeInstanceOf(TypeError)
    expect(error?.message).toMatch(pattern)
    expect(error?.message).not.toContain(ID_TOKEN)
    expect(server.requests).toHaveLength(0)
  })
})
