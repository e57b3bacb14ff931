/**
 * Property-based tests of response parsing, over loopback: a tiny node:http server answers each
 * client call with a body derived from the recorded Fastly answers (truncated, a character
 * flipped, a field retyped or dropped, wrapped, replaced by a proxy's HTML, nested absurdly deep)
 * or echoing a secret of the request, under any status. Whatever comes back:
 * - the call resolves with the documented shape, or rejects with a FastlyApiError whose one-line
 *   message names the call (never a SyntaxError or TypeError from inside);
 * - no error text carries the API token or the password, in any spelling, even when the server
 *   echoes them (whitespace squeezed, cut at the excerpt limit, JSON-escaped);
 * - an unreadable create answer is never quoted: it may hold the new token.
 * Plus parseErrorBody on its own, for any text at all.
 */
import { afterAll, beforeAll, describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import { FastlyApiError, FastlyTokensClient } from '../../src/client/index.js'
import { parseErrorBody } from '../../src/http/error-body.js'
import { recorded } from '../client/recorded.js'
import { startScriptedServer, type Reply, type ScriptedServer } from '../http/scripted-server.js'
import { secretForms } from './support/leak-scan.js'

const RUNS = { numRuns: 150, seed: 4_242 }
const API_TOKEN = 'apiKey_SecretValue-0123456789abcd'
/** Blanks inside on purpose: error texts squeeze whitespace, and a squeezed secret is still a secret. */
const PASSWORD = 'pass  word\twith\nblanks%+&'
const ACCESS_TOKEN = 'QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7J'

/** Every body the real API was recorded sending, plus the documented error shapes. */
const SEEDS: string[] = [
  ...['create', 'create_and_bulk_delete', 'delete', 'delete_self', 'get_self', 'list', 'list_customer']
    .flatMap(name => recorded(name))
    .map(i => i.response.body)
    .filter(body => body !== ''),
  JSON.stringify({ id: 'tokenId000000000000001', access_token: ACCESS_TOKEN, scope: 'global', services: [] }),
  JSON.stringify({ msg: 'Record not found', detail: "Couldn't find Token 'x'" }),
  JSON.stringify({ msg: { error: '2fa.verify', error_description: 'Invalid one-time password.' } }),
  JSON.stringify({ code: 'invalid_grant' }),
  JSON.stringify({ errors: [{ title: 'Bad request', detail: 'id must be alphanumeric', status: '400' }] }),
  JSON.stringify({ type: 'about:blank', title: 'Forbidden', detail: 'nope', status: 403 })
]

/** How a server could spell a secret it echoes back. */
function spellings(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1)
  ]
}

/** What a reader could reconstruct a secret from: its spellings, and the secret with blanks squeezed. */
function forbidden(secret: string): string[] {
  const runs: string[] = []
  // Any 12 characters in a row: an excerpt cut in the middle of a secret still shows most of it.
  for (let i = 0; i + 12 <= secret.length; i++) runs.push(secret.slice(i, i + 12))
  return [...secretForms(secret), secret.replace(/\s+/g, ' ').trim(), ...runs]
}

function retype(body: string, pick: number, value: unknown): string {
  try {
    const parsed = JSON.parse(body) as unknown
    const target = Array.isArray(parsed) ? parsed[0] : parsed
    if (typeof target !== 'object' || target === null) return body
    const keys = Object.keys(target)
    if (keys.length === 0) return body
    const key = keys[pick % keys.length]!
    if (value === undefined) delete (target as Record<string, unknown>)[key]
    else (target as Record<string, unknown>)[key] = value
    return JSON.stringify(parsed)
  } catch {
    return body
  }
}

/** Echoes of the request's secrets, anywhere in a message, also right at the 500-character excerpt cut. */
const echo: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(API_TOKEN, PASSWORD),
    fc.nat(3),
    fc.constantFrom(0, 10, 480, 490, 495, 499),
    fc.constantFrom('json-msg', 'json-detail', 'text')
  )
  .map(([secret, how, at, where]) => {
    const echoed = spellings(secret)[how]!
    const text = `${'e'.repeat(at)}${echoed} was refused`
    if (where === 'text') return text
    const message = where === 'json-msg' ? { msg: text } : { msg: 'Bad request', detail: text }
    // JSON.stringify would escape the echo again; splice it in as the server wrote it.
    return JSON.stringify(message).replace(JSON.stringify(text).slice(1, -1), text.replaceAll('"', '\\"'))
  })

const seed = fc.constantFrom(...SEEDS)
const body: fc.Arbitrary<string> = fc.oneof(
  seed,
  fc.tuple(seed, fc.nat()).map(([b, i]) => b.slice(0, i % (b.length + 1))),
  fc
    .tuple(seed, fc.nat(), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }))
    .map(([b, i, c]) => b.slice(0, i % b.length) + c + b.slice((i % b.length) + 1)),
  fc
    .tuple(seed, fc.nat(), fc.constantFrom(undefined, null, 0, -1, 1e308, '', true, [], {}, ['x'], 'ⓧ'))
    .map(([b, i, v]) => retype(b, i, v)),
  seed.map(b => `[${b}]`),
  seed.map(b => `{"data":${b}}`),
  fc.constantFrom(
    '',
    ' ',
    'null',
    '[]',
    '{}',
    '"text"',
    '1e999',
    '<html><body><h1>502 Bad Gateway</h1></body></html>',
    '\u0000\u0001binary',
    '['.repeat(20_000),
    `{"msg":"${'x'.repeat(10_000)}"}`
  ),
  echo
)

const STATUSES = [200, 201, 204, 301, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503]

type Call =
  | 'getTokenCurrent'
  | 'getToken'
  | 'listTokensUser'
  | 'listTokensCustomer'
  | 'createToken'
  | 'revokeTokenCurrent'
  | 'bulkRevokeTokens'
const CALLS: Call[] = [
  'getTokenCurrent',
  'getToken',
  'listTokensUser',
  'listTokensCustomer',
  'createToken',
  'revokeTokenCurrent',
  'bulkRevokeTokens'
]

let server: ScriptedServer
let reply: Reply = { status: 200, body: '' }
let client: FastlyTokensClient

beforeAll(async () => {
  server = await startScriptedServer(() => reply)
  client = new FastlyTokensClient({
    baseUrl: server.url,
    apiToken: API_TOKEN,
    env: {},
    timeoutMs: 5_000,
    // One attempt per call: the property is about reading an answer, not about retrying.
    retry: { maxAttempts: 1, sleep: async () => {} }
  })
})

afterAll(async () => {
  await client.close()
  await server.close()
})

function invoke(call: Call): Promise<unknown> {
  switch (call) {
    case 'getTokenCurrent':
      return client.getTokenCurrent()
    case 'getToken':
      return client.getToken('tokenId000000000000001')
    case 'listTokensUser':
      return client.listTokensUser()
    case 'listTokensCustomer':
      return client.listTokensCustomer('customerId000000000001')
    case 'createToken':
      return client.createToken({ username: 'demo@example.com', password: PASSWORD, name: 'ci' })
    case 'revokeTokenCurrent':
      return client.revokeTokenCurrent()
    case 'bulkRevokeTokens':
      return client.bulkRevokeTokens(['tokenId000000000000001', 'tokenId000000000000002'])
  }
}

function expectShape(call: Call, value: unknown): void {
  const isToken = (t: unknown) =>
    typeof t === 'object' && t !== null && typeof (t as { id?: unknown }).id === 'string'
  switch (call) {
    case 'getTokenCurrent':
    case 'getToken':
      expect(isToken(value)).toBe(true)
      break
    case 'listTokensUser':
    case 'listTokensCustomer':
      expect(Array.isArray(value) && value.every(isToken)).toBe(true)
      break
    case 'createToken':
      expect(isToken(value)).toBe(true)
      expect(typeof (value as { access_token?: unknown }).access_token).toBe('string')
      break
    default:
      expect(value).toBeUndefined()
  }
}

/** One call against one scripted answer, and everything that must hold about how it ended. */
async function check(call: Call, status: number, text: string, seen: { resolved: number; rejected: number }) {
  reply =
    status === 301
      ? { status, headers: { Location: `http://127.0.0.2:1/steal?key=${API_TOKEN}` }, body: text }
      : { status, headers: { 'Content-Type': 'application/json' }, body: status === 204 ? '' : text }
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown }
  try {
    outcome = { ok: true, value: await invoke(call) }
  } catch (error) {
    outcome = { ok: false, error }
  }
  if (outcome.ok) {
    seen.resolved += 1
    expect(status).toBeLessThan(300)
    expectShape(call, outcome.value)
    return
  }
  seen.rejected += 1
  const error = outcome.error
  if (!(error instanceof FastlyApiError)) throw new Error(`not a FastlyApiError: ${String(error)}`)
  expect(error.message).toMatch(/^Fastly API (GET|POST|DELETE) \/\S+ /)
  expect(error.message).not.toMatch(/[\r\n]/)
  expect(error.message.length).toBeLessThan(2_000)
  if (status >= 300) expect(error.status).toBe(status)
  else expect(error.code).toBe('invalid_response')
  const texts = [error.message, error.apiMessage ?? '', error.detail ?? '', error.code ?? '']
  // The request's own secrets: the API token always, the password on the create call.
  for (const secret of call === 'createToken' ? [API_TOKEN, PASSWORD] : [API_TOKEN]) {
    for (const form of forbidden(secret)) {
      for (const t of texts) if (t.includes(form)) throw new Error(`secret in error text: ${t}`)
    }
  }
  // A create answer that could not be read may still hold the new token: never quoted, not even in part.
  if (call === 'createToken' && status < 300) {
    for (let i = 0; i + 12 <= ACCESS_TOKEN.length; i++) {
      expect(error.message).not.toContain(ACCESS_TOKEN.slice(i, i + 12))
    }
  }
}

describe('answers of any shape, over loopback', () => {
  it('resolve with the documented shape or reject with a FastlyApiError that names the call', async () => {
    const seen = { resolved: 0, rejected: 0 }
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CALLS),
        fc.oneof(fc.constantFrom(200, 204), fc.constantFrom(...STATUSES)),
        fc.oneof(seed, body),
        (call, status, text) => check(call, status, text, seen)
      ),
      RUNS
    )
    // Both branches must have been exercised for the property to mean anything.
    expect(seen.resolved).toBeGreaterThan(10)
    expect(seen.rejected).toBeGreaterThan(50)
  })

  it('never let an echoed API token or password into an error text, in any spelling or cut', async () => {
    const seen = { resolved: 0, rejected: 0 }
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Call>('createToken', 'getTokenCurrent', 'bulkRevokeTokens'),
        fc.constantFrom(400, 401, 403, 404, 422, 500, 503),
        echo,
        (call, status, text) => check(call, status, text, seen)
      ),
      RUNS
    )
    expect(seen.rejected).toBe(RUNS.numRuns)
  })
})

describe('parseErrorBody alone', () => {
  it('reads any text into at most three short one-line fields, without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(body, fc.string({ unit: 'binary' }), fc.json()), text => {
        const parsed = parseErrorBody(text)
        for (const key of Object.keys(parsed)) expect(['apiMessage', 'detail', 'code']).toContain(key)
        for (const value of Object.values(parsed)) {
          expect(typeof value).toBe('string')
          expect(value).not.toMatch(/[\r\n]/)
          // 500 characters, then an ellipsis, plus the "(and N more errors)" note.
          expect((value as string).length).toBeLessThanOrEqual(540)
        }
      }),
      { ...RUNS, numRuns: 300 }
    )
  })
})
