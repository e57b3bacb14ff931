import { describe, expect, it } from '@jest/globals'
import { inspect } from 'node:util'
import { FastlyApiError, TwoFactorRequiredError } from '../../src/client/index.js'
import { json, startScriptedServer, type Script } from '../http/scripted-server.js'
import { API_TOKEN, failure, useScriptedApi } from './harness.js'

const { setUp, track } = useScriptedApi()

describe('the three error body shapes, and bodies that are none of them', () => {
  it('legacy {"msg","detail"}', async () => {
    const { client } = await setUp([
      json(404, { msg: 'Record not found', detail: "Couldn't find Token 'abc'" })
    ])
    const error = (await failure(client.getToken('abc'))) as FastlyApiError
    expect(error.apiMessage).toBe('Record not found')
    expect(error.detail).toBe("Couldn't find Token 'abc'")
    expect(error.message).toBe(
      "Fastly API GET /tokens/abc answered 404 Not Found: Record not found (Couldn't find Token 'abc')"
    )
  })

  it('JSON:API {"errors":[...]}', async () => {
    const { client } = await setUp([
      {
        status: 400,
        headers: { 'Content-Type': 'application/vnd.api+json' },
        body: JSON.stringify({
          errors: [
            { title: 'Invalid token id', detail: 'id must be alphanumeric', code: 'bad_id', status: '400' },
            { title: 'Invalid token id', detail: 'second', status: '400' }
          ]
        })
      }
    ])
    const error = (await failure(client.bulkRevokeTokens(['abc']))) as FastlyApiError
    expect(error.apiMessage).toBe('Invalid token id')
    expect(error.detail).toBe('id must be alphanumeric (and 1 more error)')
    expect(error.code).toBe('bad_id')
  })

  it('problem+json {"title","detail","status"}', async () => {
    const { client } = await setUp([
      {
        status: 403,
        headers: { 'Content-Type': 'application/problem+json' },
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Forbidden',
          detail: 'superuser role required',
          status: 403
        })
      }
    ])
    const error = (await failure(client.listTokensCustomer('cust'))) as FastlyApiError
    expect(error.apiMessage).toBe('Forbidden')
    expect(error.detail).toBe('superuser role required')
    expect(error.message).toBe(
      'Fastly API GET /customer/cust/tokens answered 403 Forbidden: Forbidden (superuser role required)'
    )
  })

  it('a text/plain body becomes the message', async () => {
    const { client } = await setUp([
      {
        status: 401,
        headers: { 'Content-Type': 'text/plain' },
        body: 'Provided credentials are missing or invalid\n'
      }
    ])
    const error = (await failure(client.getTokenCurrent())) as FastlyApiError
    expect(error.apiMessage).toBe('Provided credentials are missing or invalid')
  })

  it('an HTML page is cut to one short line', async () => {
    const page = `<html>\n<body>${'gateway '.repeat(200)}</body></html>`
    const { client } = await setUp([{ status: 502, headers: { 'Content-Type': 'text/html' }, body: page }], {
      retry: { maxAttempts: 1 }
    })
    const error = (await failure(client.getTokenCurrent())) as FastlyApiError
    expect(error.apiMessage?.length).toBeLessThanOrEqual(501)
    expect(error.apiMessage).not.toContain('\n')
    expect(error.status).toBe(502)
  })

  it('an empty body still names status, method and path', async () => {
    const { client } = await setUp([{ status: 500 }], { retry: { maxAttempts: 1 } })
    const error = (await failure(client.revokeTokenCurrent())) as FastlyApiError
    expect(error.message).toBe('Fastly API DELETE /tokens/self answered 500 Internal Server Error')
    expect(error.apiMessage).toBeUndefined()
  })
})

describe('secrets never reach an error', () => {
  const PASSWORD = 'hunter2-Pa$$ word&=+'
  const OTP = '493817'

  /** A hostile server: it reflects the request (body and credentials) into every error field. */
  const mirror: Script = req =>
    json(400, {
      msg: `bad request ${req.body} key=${String(req.headers['fastly-key'])} otp=${String(req.headers['fastly-otp'])}`,
      detail: `password was ${PASSWORD} / ${encodeURIComponent(PASSWORD)} / ${new URLSearchParams({ p: PASSWORD }).toString()}`
    })

  function expectClean(error: Error, secrets: string[]) {
    const texts = [
      error.message,
      String(error),
      error.stack ?? '',
      inspect(error, { depth: 5 }),
      JSON.stringify({ ...error, message: error.message })
    ]
    for (const text of texts) {
      for (const secret of secrets) {
        expect(text).not.toContain(secret)
        expect(text).not.toContain(encodeURIComponent(secret))
        expect(text).not.toContain(new URLSearchParams({ s: secret }).toString().slice(2))
      }
    }
  }

  it('createToken (sudo flow) with an echoing server', async () => {
    const { client } = await setUp(mirror)
    const error = await failure(client.createToken({ password: PASSWORD, otp: OTP, name: 'x' }))
    expect(error).toBeInstanceOf(FastlyApiError)
    expect((error as FastlyApiError).apiMessage).toContain('[redacted]')
    expectClean(error, [PASSWORD, OTP, API_TOKEN])
  })

  it('createToken (username flow) with an echoing server', async () => {
    const { client } = await setUp(mirror)
    const error = await failure(
      client.createToken({ username: 'me@example.com', password: PASSWORD, otp: OTP })
    )
    expectClean(error, [PASSWORD, OTP, API_TOKEN])
  })

  it('a two-factor refusal that echoes the OTP', async () => {
    const { client } = await setUp([
      json(400, {
        msg: { error: '2fa.verify', error_description: `Invalid one-time password ${OTP} for ${PASSWORD}` }
      })
    ])
    const error = await failure(
      client.createToken({ username: 'me@example.com', password: PASSWORD, otp: OTP })
    )
    expect(error).toBeInstanceOf(TwoFactorRequiredError)
    expectClean(error, [PASSWORD, OTP, API_TOKEN])
  })

  it('reads and revokes with an echoing server', async () => {
    const { client } = await setUp(mirror)
    for (const call of [
      () => client.getTokenCurrent(),
      () => client.listTokensUser(),
      () => client.revokeTokenCurrent(),
      () => client.bulkRevokeTokens(['abc'])
    ]) {
      expectClean(await failure(call()), [API_TOKEN])
    }
  })

  it('a token given through withToken (a leaked value being revoked) is redacted too', async () => {
    const leaked = 'LeakedValue_-abcdefghijklmnopqrstu'
    const { client } = await setUp(mirror)
    const other = client.withToken(leaked)
    expectClean(await failure(other.revokeTokenCurrent()), [leaked])
  })

  it('the API token passed where an id goes is refused before any request, not put in a path', async () => {
    // Sent, it would be in error.path and in the message of the 404 that follows.
    const { server, client } = await setUp(mirror)
    for (const call of [
      () => client.getToken(API_TOKEN),
      () => client.revokeToken(API_TOKEN),
      () => client.listTokensCustomer(API_TOKEN)
    ]) {
      const error = await failure(call())
      expect(error).toBeInstanceOf(TypeError)
      expect(error.message).toMatch(/^(tokenId|customerId) is this client's API token, not an id/)
      expectClean(error, [API_TOKEN])
    }
    expect(server.requests).toHaveLength(0)
  })

  it('the API token never appears in a network failure', async () => {
    const { client } = await setUp([{ drop: true }], { retry: { maxAttempts: 1 } })
    expectClean(await failure(client.getTokenCurrent()), [API_TOKEN])
  })
})

describe('redirects are never followed', () => {
  for (const status of [301, 302, 307, 308]) {
    it(`${status}: an error, and the other host sees nothing (no Fastly-Key leaves)`, async () => {
      const elsewhere = track(await startScriptedServer(() => json(200, { id: 'x' })))
      const { server, client } = await setUp([
        { status, headers: { Location: `${elsewhere.url}/tokens/self?steal=1` }, body: '' }
      ])
      const error = (await failure(client.getTokenCurrent())) as FastlyApiError
      expect(error.status).toBe(status)
      expect(error.code).toBe('redirect')
      expect(error.message).toContain(`redirect to ${elsewhere.url} not followed`)
      expect(error.message).not.toContain('steal')
      expect(server.requests).toHaveLength(1)
      expect(elsewhere.requests).toHaveLength(0)
    })
  }

  it('a Location whose host echoes the API token (lower-cased by URL parsing) is not named', async () => {
    const { client } = await setUp([{ status: 302, headers: { Location: `http://${API_TOKEN}.example/` } }])
    const error = (await failure(client.getTokenCurrent())) as FastlyApiError
    expect(error.code).toBe('redirect')
    expect(error.message).toContain('redirect to another host not followed')
    expect(error.message.toLowerCase()).not.toContain(API_TOKEN.toLowerCase())
  })

  it('a redirect on DELETE is not retried either', async () => {
    const { server, client } = await setUp(() => ({ status: 307, headers: { Location: '/elsewhere' } }))
    const error = (await failure(client.revokeTokenCurrent())) as FastlyApiError
    expect(error.message).toContain('redirect to a path on the same host not followed')
    expect(server.requests).toHaveLength(1)
  })
})

describe('timeouts', () => {
  it('no answer within timeoutMs: code timeout, GET retried, then the timeout error', async () => {
    const { server, client } = await setUp(() => ({ hang: true }), {
      timeoutMs: 100,
      retry: { maxAttempts: 2 }
    })
    const error = (await failure(client.getTokenCurrent())) as FastlyApiError
    expect(error.code).toBe('timeout')
    expect(error.status).toBeUndefined()
    expect(error.message).toBe('Fastly API GET /tokens/self timed out after 100 ms (after 2 attempts)')
    expect(server.requests).toHaveLength(2)
  })

  it('a body that stalls after the headers times out too', async () => {
    const { client } = await setUp(() => ({ stallBody: true, status: 200 }), {
      timeoutMs: 100,
      retry: { maxAttempts: 1 }
    })
    const error = (await failure(client.getTokenCurrent())) as FastlyApiError
    expect(error.code).toBe('timeout')
  })

  it('POST /tokens that times out is not repeated', async () => {
    const { server, client } = await setUp(() => ({ hang: true }), { timeoutMs: 100 })
    const error = (await failure(
      client.createToken({ username: 'a@example.com', password: 'correct-horse' })
    )) as FastlyApiError
    expect(error.code).toBe('timeout')
    expect(error.message).toMatch(/not repeated once it may have reached the server/)
    expect(server.requests).toHaveLength(1)
  })

  it('the caller can abort a request in flight', async () => {
    const { server, client } = await setUp(() => ({ hang: true }))
    const controller = new AbortController()
    const pending = failure(client.getTokenCurrent({ signal: controller.signal }))
    for (let i = 0; i < 400 && server.requests.length === 0; i++) await new Promise(r => setTimeout(r, 5))
    controller.abort()
    const error = (await pending) as FastlyApiError
    expect(error.code).toBe('aborted')
    expect(server.requests).toHaveLength(1)
  })
})
