/**
 * A create answer of the wrong shape (issue 10 §4): 2xx, but a field has the wrong type. The API
 * minted something, so the client fails with one clear line that names the field (never a value)
 * and takes the token back at once when the answer identifies it: with its own access token, or
 * by id with the client's API token. Scripted over loopback: the exact odd bodies, and what the
 * client sent back.
 */
import { describe, expect, it } from '@jest/globals'
import { FastlyApiError, UnusableCreatedTokenError } from '../../src/client/index.js'
import { failure, useScriptedApi } from './harness.js'

const GOOD = {
  id: 'oddAnswerTokenId000001',
  user_id: 'u1',
  customer_id: 'c1',
  name: 'ci',
  scope: 'global',
  services: [],
  service_id: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  expires_at: '2026-01-01T01:00:00Z',
  access_token: 'secretAccessToken_0123456789abcdef'
}

const { setUp } = useScriptedApi()

type Case = [label: string, body: Record<string, unknown>, problem: RegExp, taken: 'self' | 'by-id' | 'none']

const CASES: Case[] = [
  ['a number for name', { ...GOOD, name: 42 }, /name is not a string/, 'self'],
  ['a list for scope', { ...GOOD, scope: ['global'] }, /scope is not a string/, 'self'],
  ['services as a string', { ...GOOD, services: 'all' }, /services is not a list of strings/, 'self'],
  [
    'expires_at as a number',
    { ...GOOD, expires_at: 1767229200 },
    /expires_at is not a string or null/,
    'self'
  ],
  ['no id', { ...GOOD, id: undefined }, /id is missing/, 'self'],
  [
    'an access_token with a newline',
    { ...GOOD, access_token: 'secretAccess\nToken_0123456789abcdef' },
    /access_token is not a single token/,
    'by-id'
  ],
  [
    'an access_token with a space',
    { ...GOOD, access_token: 'secretAccess Token_0123456789abcdef' },
    /access_token is not a single token/,
    'by-id'
  ],
  ['no access_token', { ...GOOD, access_token: undefined }, /access_token is missing/, 'by-id'],
  [
    'no id and an unusable access_token: nothing identifies it',
    { ...GOOD, id: undefined, access_token: 12345 },
    /id is missing; .*access_token is not a single token/,
    'none'
  ]
]

describe('createToken with a 2xx answer of the wrong shape', () => {
  it.each(CASES)(
    '%s: one clear error, and the token is taken back when it can be identified',
    async (_l, body, problem, taken) => {
      const { server, client } = await setUp([
        { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        { status: 204 }
      ])
      const error = await failure(
        client.createToken({ username: 'u@example.com', password: 'pw' }, { deadline: Date.now() + 10_000 })
      )
      expect(error).toBeInstanceOf(FastlyApiError)
      expect(error.message).not.toMatch(/\n/)
      expect(error.message).toMatch(
        /^Fastly API POST \/tokens answered 200 but the body is not a created token/
      )
      expect(error.message).toMatch(problem)
      // No value of the answer is quoted, the token least of all.
      expect(error.message).not.toContain('secretAccess')
      const sent = server.requests.map(r => `${r.method} ${r.url} ${r.headers['fastly-key'] ?? ''}`)
      // The username flow; the client also holds an API token, which revokes by id when needed.
      if (taken === 'self') {
        expect(error).toBeInstanceOf(UnusableCreatedTokenError)
        expect((error as UnusableCreatedTokenError).revoked).toBe(true)
        expect(sent.at(-1)).toBe(`DELETE /tokens/self ${String(body.access_token)}`)
        expect(error.message).toMatch(
          /was revoked at once \(DELETE \/tokens\/self with its own access token\)$/
        )
      } else if (taken === 'by-id') {
        expect((error as UnusableCreatedTokenError).revoked).toBe(true)
        expect((error as UnusableCreatedTokenError).tokenId).toBe(GOOD.id)
        expect(sent.at(-1)).toMatch(new RegExp(`^DELETE /tokens/${GOOD.id} apiTokenSecret_`))
      } else {
        expect(error).not.toBeInstanceOf(UnusableCreatedTokenError)
        expect(sent.some(s => s.startsWith('DELETE'))).toBe(false)
      }
    }
  )

  it('with username and no API token, an answer with only its id usable is reported alive, by id', async () => {
    const { server, client } = await setUp(
      [{ status: 200, body: JSON.stringify({ ...GOOD, access_token: 'a b' }) }],
      { apiToken: undefined }
    )
    const error = (await failure(
      client.createToken({ username: 'u@example.com', password: 'pw' })
    )) as UnusableCreatedTokenError
    expect(error).toBeInstanceOf(UnusableCreatedTokenError)
    expect(error.revoked).toBe(false)
    expect(error.tokenId).toBe(GOOD.id)
    expect(error.message).toMatch(
      /token oddAnswerTokenId000001 may be alive and could not be revoked \(its access_token is unusable and the client has no API token\)$/
    )
    expect(server.requests).toHaveLength(1)
  })

  it('a take-back that fails says so, and the error still names the token', async () => {
    const { client } = await setUp(
      [{ status: 200, body: JSON.stringify({ ...GOOD, name: 7 }) }, { status: 503 }],
      { retry: { maxAttempts: 1 } }
    )
    const error = (await failure(
      client.createToken({ username: 'u@example.com', password: 'pw' })
    )) as UnusableCreatedTokenError
    expect(error.revoked).toBe(false)
    expect(error.message).toMatch(
      /token oddAnswerTokenId000001 may be alive and could not be revoked \(Fastly API DELETE \/tokens\/self answered 503/
    )
  })

  it('GET /tokens/self with a number for scope is an invalid_response error, not a crash later', async () => {
    const { client } = await setUp([{ status: 200, body: JSON.stringify({ ...GOOD, scope: 1 }) }])
    const error = (await failure(client.getTokenCurrent())) as FastlyApiError
    expect(error.code).toBe('invalid_response')
    expect(error.message).toMatch(/: scope is not a string$/)
  })
})
