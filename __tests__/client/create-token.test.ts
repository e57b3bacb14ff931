import { describe, expect, it } from '@jest/globals'
import {
  FastlyApiError,
  mayHaveTakenEffect,
  RateLimitError,
  TwoFactorRequiredError
} from '../../src/client/index.js'
import { freePort, json, startScriptedServer, type ScriptedServer } from '../http/scripted-server.js'
import {
  API_TOKEN,
  failure,
  PACKAGE_JSON_VERSION,
  recordingSleep,
  testClient,
  useScriptedApi
} from './harness.js'
import { parseForm, recorded, replay } from './recorded.js'

const bulkCassette = recorded('create_and_bulk_delete')
const [sudo1, create1] = bulkCassette as [(typeof bulkCassette)[0], (typeof bulkCassette)[0]]
const SERVICES = ['0Us63sb8R1BpWQBIhluncu', '7frORaFZvHgC6eRAJdA7kf']

const { setUp, track } = useScriptedApi()

describe('createToken: the form as go-fastly sends it', () => {
  it('username flow: one POST /tokens whose form equals the recorded one, with no Fastly-Key', async () => {
    const { server, client } = await setUp([replay(create1)])
    const created = await client.createToken({
      username: 'testing@fastly.com',
      password: 'foobar',
      name: 'my-test-token-1',
      scope: 'global',
      services: SERVICES
    })

    expect(server.requests).toHaveLength(1)
    const [req] = server.requests
    expect(req?.method).toBe('POST')
    expect(req?.url).toBe('/tokens')
    // Same fields and values as the recording...
    expect(parseForm(req?.body ?? '')).toEqual(create1.request.form)
    // ...in go-fastly's field order; the only byte difference is '@', which the form encoding
    // escapes (an older recording of the same test shows go-fastly sending %40 too).
    expect(req?.body).toBe(
      'name=my-test-token-1&password=foobar&scope=global&services%5B%5D=0Us63sb8R1BpWQBIhluncu' +
        '&services%5B%5D=7frORaFZvHgC6eRAJdA7kf&username=testing%40fastly.com'
    )
    expect(req?.body).toBe(create1.request.body.replace('@', '%40'))
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(req?.headers.accept).toBe('application/json')
    expect(req?.headers['fastly-key']).toBeUndefined()
    expect(req?.headers['fastly-otp']).toBeUndefined()
    expect(req?.headers['user-agent']).toBe(`fastly-token-action/${PACKAGE_JSON_VERSION}`)

    expect(created).toEqual(JSON.parse(create1.response.body))
    expect(created.access_token).toBe('QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7J')
    expect(created.service_id).toBe('7frORaFZvHgC6eRAJdA7kf')
    expect(created.expires_at).toBeNull()
    expect(client.rateLimit).toEqual({ remaining: 4993, resetEpochSeconds: 1635879600 })
  })

  it('sudo flow: POST /sudo with the password, then POST /tokens, both with Fastly-Key', async () => {
    const { server, client } = await setUp([replay(sudo1), replay(create1)])
    const created = await client.createToken({
      password: 'foobar',
      name: 'my-test-token-1',
      scope: 'global',
      services: SERVICES
    })

    expect(server.requests.map(r => `${r.method} ${r.url}`)).toEqual(['POST /sudo', 'POST /tokens'])
    const [sudo, tokens] = server.requests
    expect(sudo?.body).toBe('password=foobar')
    expect(sudo?.headers['fastly-key']).toBe(API_TOKEN)
    expect(sudo?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(tokens?.headers['fastly-key']).toBe(API_TOKEN)
    const { username: _username, ...recordedWithoutUser } = create1.request.form
    expect(parseForm(tokens?.body ?? '')).toEqual(recordedWithoutUser)
    expect(tokens?.body).toBe(
      'name=my-test-token-1&password=foobar&scope=global&services%5B%5D=0Us63sb8R1BpWQBIhluncu' +
        '&services%5B%5D=7frORaFZvHgC6eRAJdA7kf'
    )
    expect(created.id).toBe('2j1hEyxXOEqYaSipeZHaW4')
    // The sudo answer reported 4994, the token answer 4993: the last one wins.
    expect(client.rateLimit).toEqual({ remaining: 4993, resetEpochSeconds: 1635879600 })
  })

  it('parses the older recorded create answer (service_id null, services [])', async () => {
    const [sudo, create] = recorded('create')
    const { client } = await setUp([replay(sudo!), replay(create!)])
    const created = await client.createToken({ password: 'XXXXXXXXXXXXXXXXXXXXXX', name: 'my-test-token' })
    expect(created.service_id).toBeNull()
    expect(created.services).toEqual([])
    expect(created.updated_at).toBe('2021-01-14T11:47:46Z')
    expect(client.rateLimit).toEqual({ remaining: 954, resetEpochSeconds: 1610625600 })
  })

  it('encodes expires_at as RFC 3339 UTC without fractions, scope arrays space-delimited, and sends Fastly-OTP', async () => {
    const { server, client } = await setUp([replay(create1)])
    await client.createToken({
      username: 'ci@example.com',
      password: 'pa ss&word=1',
      name: 'ci job 42',
      scope: ['purge_all', 'global:read'],
      expiresAt: new Date('2026-01-01T00:00:00.750Z'),
      otp: '123 456'
    })
    const [req] = server.requests
    expect(req?.body).toBe(
      'expires_at=2026-01-01T00%3A00%3A00Z&name=ci+job+42&password=pa+ss%26word%3D1' +
        '&scope=purge_all+global%3Aread&username=ci%40example.com'
    )
    expect(req?.headers['fastly-otp']).toBe('123456')
  })

  it('accepts an ISO string with an offset for expiresAt and converts it to UTC', async () => {
    const { server, client } = await setUp([replay(create1)])
    await client.createToken({
      username: 'a@example.com',
      password: 'correct-horse',
      expiresAt: '2026-07-28T21:24:50+02:00'
    })
    expect(parseForm(server.requests[0]?.body ?? '').expires_at).toEqual(['2026-07-28T19:24:50Z'])
  })

  it('sends the OTP only on POST /tokens in the sudo flow (where the docs put it)', async () => {
    const { server, client } = await setUp([replay(sudo1), replay(create1)])
    await client.createToken({ password: 'foobar', otp: '654321' })
    expect(server.requests[0]?.headers['fastly-otp']).toBeUndefined()
    expect(server.requests[1]?.headers['fastly-otp']).toBe('654321')
  })

  it('puts a caller prefix before the package product token in the User-Agent', async () => {
    const { server, client } = await setUp([replay(create1)], { userAgent: 'my-ci/2.0' })
    await client.createToken({ username: 'a@example.com', password: 'correct-horse' })
    expect(server.requests[0]?.headers['user-agent']).toBe(
      `my-ci/2.0 fastly-token-action/${PACKAGE_JSON_VERSION}`
    )
  })
})

describe('createToken: two-factor challenges', () => {
  const shapes: Array<[string, unknown]> = [
    ['legacy msg', { msg: '2fa.verify' }],
    ['spec code', { code: '2fa.verify' }],
    ['nested msg', { msg: { error: '2fa.verify', error_description: 'Invalid one-time password.' } }]
  ]

  for (const [label, body] of shapes) {
    it(`${label}: without an OTP says that one is needed`, async () => {
      const { client } = await setUp([json(400, body)])
      const error = await failure(client.createToken({ username: 'a@example.com', password: 'pw-secret' }))
      expect(error).toBeInstanceOf(TwoFactorRequiredError)
      expect(error).toBeInstanceOf(FastlyApiError)
      const tfa = error as TwoFactorRequiredError
      expect(tfa.status).toBe(400)
      expect(tfa.code).toBe('2fa.verify')
      expect(tfa.otpWasSent).toBe(false)
      expect(tfa.message).toMatch(/one-time password is needed/)
      expect(tfa.message).toMatch(/pass otp/)
    })

    it(`${label}: with an OTP says it was refused`, async () => {
      const { client } = await setUp([json(400, body)])
      const error = await failure(
        client.createToken({ username: 'a@example.com', password: 'pw-secret', otp: '111222' })
      )
      expect(error).toBeInstanceOf(TwoFactorRequiredError)
      expect((error as TwoFactorRequiredError).otpWasSent).toBe(true)
      expect(error.message).toMatch(/one-time password was refused/)
      expect(error.message).not.toContain('111222')
    })
  }

  it('a challenge on POST /sudo is the same typed error', async () => {
    const { server, client } = await setUp([json(400, { msg: '2fa.verify' })])
    const error = await failure(client.createToken({ password: 'foobar' }))
    expect(error).toBeInstanceOf(TwoFactorRequiredError)
    expect((error as TwoFactorRequiredError).path).toBe('/sudo')
    expect(server.requests).toHaveLength(1)
  })
})

describe('createToken: documented errors, and never a second token', () => {
  it('400 invalid_grant (wrong password) is a FastlyApiError with the code, not retried', async () => {
    const { server, client } = await setUp([json(400, { code: 'invalid_grant' })])
    const error = (await failure(
      client.createToken({ username: 'a@example.com', password: 'wrong' })
    )) as FastlyApiError
    expect(error).toBeInstanceOf(FastlyApiError)
    expect(error).not.toBeInstanceOf(TwoFactorRequiredError)
    expect(error.status).toBe(400)
    expect(error.code).toBe('invalid_grant')
    expect(error.method).toBe('POST')
    expect(error.path).toBe('/tokens')
    expect(server.requests).toHaveLength(1)
    expect(mayHaveTakenEffect(error)).toBe(false)
  })

  it.each([
    [401, { msg: 'Provided credentials are missing or invalid' }],
    [403, { msg: 'You are not authorized to perform this action' }],
    [
      422,
      {
        msg: 'The format of the date and time supplied to the expires_at parameter is invalid.'
      }
    ]
  ])('%i carries the API message', async (status, body) => {
    const { server, client } = await setUp([json(status, body)])
    const error = (await failure(
      client.createToken({ username: 'a@example.com', password: 'correct-horse' })
    )) as FastlyApiError
    expect(error.status).toBe(status)
    expect(error.apiMessage).toBe(body.msg)
    expect(error.message).toContain(body.msg)
    expect(error.message).toContain('POST /tokens')
    expect(server.requests).toHaveLength(1)
    expect(mayHaveTakenEffect(error)).toBe(false)
  })

  it('a 5xx is not retried: the token may have been minted', async () => {
    const sleep = recordingSleep()
    const { server, client } = await setUp([json(503, { msg: 'upstream unavailable' })], { retry: sleep })
    const error = (await failure(
      client.createToken({ username: 'a@example.com', password: 'correct-horse' })
    )) as FastlyApiError
    expect(error.status).toBe(503)
    expect(error.message).toMatch(/not repeated/)
    expect(server.requests).toHaveLength(1)
    expect(sleep.waits).toEqual([])
    expect(mayHaveTakenEffect(error)).toBe(true)
  })

  it('a connection dropped after the request was sent is not retried', async () => {
    const { server, client } = await setUp([{ drop: true }, replay(create1)])
    const error = (await failure(
      client.createToken({ username: 'a@example.com', password: 'correct-horse' })
    )) as FastlyApiError
    expect(error).toBeInstanceOf(FastlyApiError)
    expect(error.status).toBeUndefined()
    expect(error.attempts).toBe(1)
    expect(server.requests).toHaveLength(1)
    expect(mayHaveTakenEffect(error)).toBe(true)
  })

  it('an answer that never comes is a timeout, not repeated: the token may have been minted', async () => {
    const { server, client } = await setUp([{ hang: true }], { timeoutMs: 200 })
    const error = (await failure(
      client.createToken({ username: 'a@example.com', password: 'correct-horse' })
    )) as FastlyApiError
    expect(error.code).toBe('timeout')
    expect(server.requests).toHaveLength(1)
    expect(mayHaveTakenEffect(error)).toBe(true)
  })

  it('a connection refused on every attempt: nothing was sent, so nothing can have been minted', async () => {
    const client = track(testClient(`http://127.0.0.1:${await freePort()}`, { retry: { maxAttempts: 2 } }))
    const error = (await failure(
      client.createToken({ username: 'a@example.com', password: 'correct-horse' })
    )) as FastlyApiError
    expect(error.code).toBe('ECONNREFUSED')
    expect(error.attempts).toBe(2)
    expect(mayHaveTakenEffect(error)).toBe(false)
  })

  it('a refused connection (nothing sent) is retried, and the retry creates the token once', async () => {
    const port = await freePort()
    let late: ScriptedServer | undefined
    const waits: number[] = []
    const client = track(
      testClient(`http://127.0.0.1:${port}`, {
        retry: {
          // The server comes up during the backoff: the first attempt found nothing listening.
          sleep: async ms => {
            waits.push(ms)
            late ??= await startScriptedServer([replay(create1)], { port })
          }
        }
      })
    )
    try {
      const created = await client.createToken({ username: 'a@example.com', password: 'correct-horse' })
      expect(created.id).toBe('2j1hEyxXOEqYaSipeZHaW4')
      expect(waits).toHaveLength(1)
      expect(late?.requests).toHaveLength(1)
    } finally {
      await late?.close()
    }
  })

  it('a 429 is not waited out for POST: RateLimitError says when the window resets', async () => {
    const sleep = recordingSleep()
    const reset = 1_900_000_800
    const { server, client } = await setUp(
      [
        json(
          429,
          { msg: 'You have exceeded your hourly rate limit.' },
          { 'Fastly-RateLimit-Remaining': '0', 'Fastly-RateLimit-Reset': String(reset) }
        )
      ],
      { retry: { ...sleep, now: () => reset * 1000 - 600_000 } }
    )
    const error = (await failure(
      client.createToken({ username: 'a@example.com', password: 'correct-horse' })
    )) as RateLimitError
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error.resetAt.getTime()).toBe(reset * 1000)
    expect(error.message).toContain(new Date(reset * 1000).toISOString())
    expect(error.message).toContain('in 10 min')
    expect(error.rateLimit).toEqual({ remaining: 0, resetEpochSeconds: reset })
    expect(server.requests).toHaveLength(1)
    expect(sleep.waits).toEqual([])
    expect(client.rateLimit).toEqual({ remaining: 0, resetEpochSeconds: reset })
    expect(mayHaveTakenEffect(error)).toBe(false)
  })

  it('an answer that is not a created token is an invalid_response error that quotes nothing', async () => {
    const { client } = await setUp([json(200, { id: 'abc', access_token_missing: 'LEAKYVALUE' })])
    const error = (await failure(
      client.createToken({ username: 'a@example.com', password: 'correct-horse' })
    )) as FastlyApiError
    expect(error.code).toBe('invalid_response')
    expect(error.message).not.toContain('LEAKYVALUE')
    // The API answered 200: it minted, though the answer cannot be read.
    expect(mayHaveTakenEffect(error)).toBe(true)
  })
})

describe('createToken: bad input is refused before any request', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no password', { username: 'a@example.com' }, /password must be a non-empty string/],
    ['empty username', { username: '', password: 'correct-horse' }, /username must be a non-empty string/],
    [
      'empty name',
      { username: 'a@example.com', password: 'correct-horse', name: '' },
      /name must be a non-empty string/
    ],
    ['empty scope', { username: 'a@example.com', password: 'correct-horse', scope: '  ' }, /scope is empty/],
    [
      'bad scope',
      { username: 'a@example.com', password: 'correct-horse', scope: ['global', 'x y'] },
      /scope entry "x y"/
    ],
    [
      'bad service',
      { username: 'a@example.com', password: 'correct-horse', services: ['ok', 'a/b'] },
      /services\[1\]/
    ],
    [
      'services not array',
      { username: 'a@example.com', password: 'correct-horse', services: 'abc' },
      /services must be an array/
    ],
    [
      'invalid date',
      { username: 'a@example.com', password: 'correct-horse', expiresAt: 'tomorrow' },
      /expiresAt is not a valid date/
    ],
    [
      'date without zone',
      { username: 'a@example.com', password: 'correct-horse', expiresAt: '2026-01-01T10:00:00' },
      /no time zone/
    ],
    [
      'bad otp',
      { username: 'a@example.com', password: 'correct-horse', otp: '12ab56' },
      /otp must be the 6-digit code/
    ]
  ]
  for (const [label, input, pattern] of cases) {
    it(label, async () => {
      const { server, client } = await setUp([])
      const error = await failure(client.createToken(input as never))
      expect(error).toBeInstanceOf(TypeError)
      expect(error.message).toMatch(pattern)
      expect(server.requests).toHaveLength(0)
    })
  }

  it('the bad otp is not echoed', async () => {
    const { client } = await setUp([])
    const error = await failure(
      client.createToken({ username: 'a@example.com', password: 'correct-horse', otp: 'SECRETOTP' })
    )
    expect(error.message).not.toContain('SECRETOTP')
  })

  it('no username and no API token: says which of the two to give', async () => {
    const { server, client } = await setUp([], { apiToken: undefined })
    const error = await failure(client.createToken({ password: 'correct-horse' }))
    expect(error.message).toMatch(/needs either username .* or an API token/)
    expect(server.requests).toHaveLength(0)
  })
})
