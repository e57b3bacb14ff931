import { describe, expect, it } from '@jest/globals'
import { FastlyApiError, type FastlyTokensClient } from '../../src/client/index.js'
import { json } from '../http/scripted-server.js'
import { API_TOKEN, failure, useScriptedApi } from './harness.js'
import { recorded, replay } from './recorded.js'

const { setUp } = useScriptedApi()

const [deleteOne] = recorded('delete')
const [deleteSelf] = recorded('delete_self')
const bulk = recorded('create_and_bulk_delete')[4]!

describe('revokeToken / revokeTokenCurrent', () => {
  it('revokeToken: DELETE /tokens/{id}, 204, budget from the answer', async () => {
    const { server, client } = await setUp([replay(deleteOne!)])
    await expect(client.revokeToken('2j1hEyxXOEqYaSipeZHaW4')).resolves.toBeUndefined()
    const [req] = server.requests
    expect(`${req?.method} ${req?.url}`).toBe('DELETE /tokens/2j1hEyxXOEqYaSipeZHaW4')
    expect(req?.headers['fastly-key']).toBe(API_TOKEN)
    expect(req?.body).toBe('')
    expect(req?.headers['content-type']).toBeUndefined()
    expect(client.rateLimit).toEqual({ remaining: 953, resetEpochSeconds: 1610625600 })
  })

  it('revokeTokenCurrent: DELETE /tokens/self, 204', async () => {
    const { server, client } = await setUp([replay(deleteSelf!)])
    await client.revokeTokenCurrent()
    expect(`${server.requests[0]?.method} ${server.requests[0]?.url}`).toBe('DELETE /tokens/self')
    expect(client.rateLimit).toEqual({ remaining: 951, resetEpochSeconds: 1610625600 })
  })

  const cases: Array<[string, (c: FastlyTokensClient) => Promise<void>, string, number, string]> = [
    ['revokeToken', c => c.revokeToken('abc123'), '/tokens/abc123', 400, 'Token revocation error.'],
    ['revokeToken', c => c.revokeToken('abc123'), '/tokens/abc123', 401, 'Missing or expired token.'],
    ['revokeToken', c => c.revokeToken('abc123'), '/tokens/abc123', 403, 'Invalid token.'],
    ['revokeToken', c => c.revokeToken('abc123'), '/tokens/abc123', 404, 'Token lookup failed.'],
    ['revokeTokenCurrent', c => c.revokeTokenCurrent(), '/tokens/self', 400, 'Token revocation error.'],
    ['revokeTokenCurrent', c => c.revokeTokenCurrent(), '/tokens/self', 401, 'Missing or expired token.'],
    [
      'revokeTokenCurrent',
      c => c.revokeTokenCurrent(),
      '/tokens/self',
      403,
      'Read only tokens are not allowed to access this endpoint.'
    ]
  ]
  for (const [method, call, path, status, msg] of cases) {
    it(`${method} ${status}: typed failure with the budget it reported, not retried`, async () => {
      const { server, client } = await setUp([
        json(status, { msg }, { 'Fastly-RateLimit-Remaining': '900', 'Fastly-RateLimit-Reset': '1610625600' })
      ])
      const error = (await failure(call(client))) as FastlyApiError
      expect(error).toBeInstanceOf(FastlyApiError)
      expect(error.status).toBe(status)
      expect(error.apiMessage).toBe(msg)
      expect(error.method).toBe('DELETE')
      expect(error.path).toBe(path)
      expect(error.rateLimit).toEqual({ remaining: 900, resetEpochSeconds: 1610625600 })
      expect(client.rateLimit).toEqual({ remaining: 900, resetEpochSeconds: 1610625600 })
      expect(server.requests).toHaveLength(1)
    })
  }
})

describe('bulkRevokeTokens', () => {
  it('sends the recorded bytes: JSON:API bulk body, type before id, bulk content type and Accept', async () => {
    const { server, client } = await setUp([replay(bulk)])
    await client.bulkRevokeTokens(['2j1hEyxXOEqYaSipeZHaW4', '5NSGsvF9ybBxXAdEQhcYPz'])
    const [req] = server.requests
    expect(`${req?.method} ${req?.url}`).toBe('DELETE /tokens')
    expect(req?.body).toBe(bulk.request.body)
    expect(req?.body).toBe(
      '{"data":[{"type":"token","id":"2j1hEyxXOEqYaSipeZHaW4"},{"type":"token","id":"5NSGsvF9ybBxXAdEQhcYPz"}]}\n'
    )
    expect(req?.headers['content-type']).toBe('application/vnd.api+json; ext=bulk')
    expect(req?.headers.accept).toBe('application/vnd.api+json; ext=bulk')
    expect(req?.headers['content-type']).toBe(bulk.request.headers['Content-Type']?.[0])
    expect(req?.headers['fastly-key']).toBe(API_TOKEN)
    expect(client.rateLimit).toEqual({ remaining: 4990, resetEpochSeconds: 1635879600 })
  })

  it('refuses an empty list before any request', async () => {
    const { server, client } = await setUp([])
    const error = await failure(client.bulkRevokeTokens([]))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/tokenIds is empty/)
    expect(server.requests).toHaveLength(0)
  })

  it('names the bad id by index before any request', async () => {
    const { server, client } = await setUp([])
    expect((await failure(client.bulkRevokeTokens(['good1', '']))).message).toMatch(
      /^tokenIds\[1\] must be a non-empty/
    )
    expect((await failure(client.bulkRevokeTokens(['good1', 'a/b']))).message).toMatch(
      /^tokenIds\[1\] must be a single/
    )
    expect((await failure(client.bulkRevokeTokens(['a', 'b', 'a']))).message).toBe(
      'tokenIds[2] repeats tokenIds[0]'
    )
    expect((await failure(client.bulkRevokeTokens('abc' as never))).message).toMatch(
      /tokenIds must be an array/
    )
    expect(server.requests).toHaveLength(0)
  })

  it.each([
    [400, { errors: [{ title: 'Bad Request', detail: 'too many tokens in one request', status: '400' }] }],
    [401, { msg: 'Provided credentials are missing or invalid' }],
    [403, { msg: 'You are not authorized to perform this action' }],
    [404, { msg: 'Token lookup failed.' }]
  ])('%i is a typed failure, not retried', async (status, body) => {
    const { server, client } = await setUp([json(status, body)])
    const error = (await failure(client.bulkRevokeTokens(['abc']))) as FastlyApiError
    expect(error.status).toBe(status)
    expect(error.path).toBe('/tokens')
    expect(error.apiMessage).toBeDefined()
    expect(server.requests).toHaveLength(1)
  })
})
