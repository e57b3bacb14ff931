import { describe, expect, it } from '@jest/globals'
import { FastlyApiError, type FastlyTokensClient } from '../../src/client/index.js'
import { json } from '../http/scripted-server.js'
import { API_TOKEN, failure, PACKAGE_JSON_VERSION, useScriptedApi } from './harness.js'
import { recorded, replay } from './recorded.js'

const { setUp } = useScriptedApi()

const [getSelf] = recorded('get_self')
const [list] = recorded('list')
const [listCustomer] = recorded('list_customer')

describe('reads parse the recorded answers as the API wrote them', () => {
  it('getTokenCurrent: GET /tokens/self with Fastly-Key, every field kept (nulls, scopes, sudo_expires_at)', async () => {
    const { server, client } = await setUp([replay(getSelf!)])
    const token = await client.getTokenCurrent()
    expect(token).toEqual(JSON.parse(getSelf!.response.body))
    expect(token.customer_id).toBe('XXXXXXXXXXXXXXXXXXXXXX')
    expect(token.scopes).toEqual(['global'])
    expect(token.sudo_expires_at).toBeNull()
    expect(token.expires_at).toBeNull()
    expect(token.last_used_at).toBe('2021-01-14T11:36:43Z')
    const [req] = server.requests
    expect(`${req?.method} ${req?.url}`).toBe('GET /tokens/self')
    expect(req?.headers['fastly-key']).toBe(API_TOKEN)
    expect(req?.headers.accept).toBe('application/json')
    expect(req?.headers['user-agent']).toBe(`fastly-token-action/${PACKAGE_JSON_VERSION}`)
    expect(req?.body).toBe('')
    // GET answers carry no rate-limit headers, and the client does not invent a budget.
    expect(client.rateLimit).toBeUndefined()
  })

  it('getToken: GET /tokens/{id}', async () => {
    const { server, client } = await setUp([replay(getSelf!)])
    const token = await client.getToken('5Yo3XXnrQpjc20u0ybrf2g')
    expect(server.requests[0]?.url).toBe('/tokens/5Yo3XXnrQpjc20u0ybrf2g')
    expect(token.name).toBe('TempTokenForGoFastlyTests')
  })

  it('listTokensUser: GET /tokens, the four recorded tokens including a never-used global:read one', async () => {
    const { server, client } = await setUp([replay(list!)])
    const tokens = await client.listTokensUser()
    expect(server.requests[0]?.url).toBe('/tokens')
    expect(tokens).toEqual(JSON.parse(list!.response.body))
    expect(tokens).toHaveLength(4)
    expect(tokens[0]?.sudo_expires_at).toBe('2021-01-14T11:25:52Z')
    const readOnly = tokens.find(t => t.scope === 'global:read')
    expect(readOnly).toMatchObject({
      last_used_at: null,
      ip: null,
      user_agent: null,
      expires_at: '2021-04-14T10:20:53Z'
    })
  })

  it('listTokensCustomer: GET /customer/{id}/tokens', async () => {
    const { server, client } = await setUp([replay(listCustomer!)])
    const tokens = await client.listTokensCustomer('x4xCwxxJxGCx123Rx5xTx')
    expect(server.requests[0]?.url).toBe('/customer/x4xCwxxJxGCx123Rx5xTx/tokens')
    expect(server.requests[0]?.headers['fastly-key']).toBe(API_TOKEN)
    expect(tokens.map(t => t.name)).toContain('manage.fastly.com browser session')
  })

  it('an empty list is an empty array', async () => {
    const { client } = await setUp([json(200, [])])
    expect(await client.listTokensUser()).toEqual([])
  })

  it('a list answer that is not an array of tokens is invalid_response', async () => {
    const { client } = await setUp([json(200, { data: [] })])
    const error = (await failure(client.listTokensUser())) as FastlyApiError
    expect(error.code).toBe('invalid_response')
    expect(error.status).toBe(200)
  })

  it('a token answer that is not JSON is invalid_response', async () => {
    const { client } = await setUp([
      { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>portal</html>' }
    ])
    const error = (await failure(client.getTokenCurrent())) as FastlyApiError
    expect(error.code).toBe('invalid_response')
  })
})

describe('reads: documented error statuses', () => {
  const cases: Array<[string, (c: FastlyTokensClient) => Promise<unknown>, string, number, string]> = [
    ['getToken', c => c.getToken('abc123'), '/tokens/abc123', 401, 'Missing or expired token.'],
    ['getToken', c => c.getToken('abc123'), '/tokens/abc123', 403, 'Invalid token.'],
    ['getToken', c => c.getToken('abc123'), '/tokens/abc123', 404, 'Token lookup failed.'],
    ['getTokenCurrent', c => c.getTokenCurrent(), '/tokens/self', 401, 'Missing or expired token.'],
    ['getTokenCurrent', c => c.getTokenCurrent(), '/tokens/self', 403, 'Invalid token.'],
    [
      'listTokensUser',
      c => c.listTokensUser(),
      '/tokens',
      401,
      'Provided credentials are missing or invalid'
    ],
    ['listTokensUser', c => c.listTokensUser(), '/tokens', 403, 'Invalid token.'],
    [
      'listTokensCustomer',
      c => c.listTokensCustomer('cust1'),
      '/customer/cust1/tokens',
      403,
      'You are not authorized to perform this action'
    ],
    [
      'listTokensCustomer',
      c => c.listTokensCustomer('cust1'),
      '/customer/cust1/tokens',
      404,
      'Record not found'
    ]
  ]
  for (const [method, call, path, status, msg] of cases) {
    it(`${method} ${status}: status, API message, method and path, not retried`, async () => {
      const { server, client } = await setUp([json(status, { msg })])
      const error = (await failure(call(client))) as FastlyApiError
      expect(error).toBeInstanceOf(FastlyApiError)
      expect(error.status).toBe(status)
      expect(error.apiMessage).toBe(msg)
      expect(error.method).toBe('GET')
      expect(error.path).toBe(path)
      expect(error.message).toBe(`Fastly API GET ${path} answered ${status} ${statusText(status)}: ${msg}`)
      expect(server.requests).toHaveLength(1)
    })
  }
})

function statusText(status: number): string {
  return { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status as 401 | 403 | 404]
}

describe('reads: ids are checked and encoded', () => {
  it('refuses ids that would change the path, naming the argument, before any request', async () => {
    const { server, client } = await setUp([])
    for (const bad of ['', 'a/b', '../tokens', 'a b', 'a?x=1', 'a#b', '%2F', 'self', 'SELF']) {
      const error = await failure(client.getToken(bad))
      expect(error).toBeInstanceOf(TypeError)
      expect(error.message).toMatch(/^tokenId /)
    }
    const customer = await failure(client.listTokensCustomer('a/b'))
    expect(customer.message).toMatch(/^customerId /)
    const nonString = await failure(client.getToken(42 as unknown as string))
    expect(nonString.message).toMatch(/tokenId must be a non-empty token id string/)
    expect(server.requests).toHaveLength(0)
  })

  it('percent-encodes what it lets through', async () => {
    const { server, client } = await setUp([replay(getSelf!)])
    await client.getToken('id:with+plus')
    expect(server.requests[0]?.url).toBe('/tokens/id%3Awith%2Bplus')
  })

  it('a call without any API token says how to give one, before any request', async () => {
    const { server, client } = await setUp([], { apiToken: undefined })
    const error = await failure(client.listTokensUser())
    expect(error.message).toMatch(/needs an API token: pass apiToken .* or set FASTLY_API_TOKEN/)
    expect(server.requests).toHaveLength(0)
  })
})
