/**
 * `stop`, the gentle cancel a cancelled job uses: once aborted no further request of the call is
 * sent, but one already on its way runs to its answer (unlike `signal`, which cuts it off). A
 * POST /tokens in flight may mint; its answer must then arrive, or the token is stranded.
 */
import { describe, expect, it } from '@jest/globals'
import { FastlyApiError } from '../../src/client/index.js'
import { failure, useScriptedApi } from '../client/harness.js'

const { setUp } = useScriptedApi()

const TOKEN = {
  id: 'stopSignalTokenId00001',
  name: 'n',
  scope: 'global',
  services: [],
  expires_at: null,
  created_at: '2026-01-01T00:00:00Z',
  access_token: 'stopSignalAccess_0123456789abcdef'
}

describe('CallOptions.stop', () => {
  it('aborted before the call: nothing is sent', async () => {
    const stop = AbortSignal.abort()
    const { server, client } = await setUp([{ status: 200, body: '{}' }])
    const error = (await failure(client.getTokenCurrent({ stop }))) as FastlyApiError
    expect(error.code).toBe('aborted')
    expect(error.attempts).toBe(0)
    expect(server.requests).toHaveLength(0)
  })

  it('aborted while POST /tokens is in flight: the answer still arrives and the token is returned', async () => {
    const controller = new AbortController()
    const { server, client } = await setUp(() => {
      controller.abort() // the request has reached the server
      return { status: 200, body: JSON.stringify(TOKEN) }
    })
    const created = await client.createToken(
      { username: 'u@example.com', password: 'pw' },
      { stop: controller.signal }
    )
    expect(created.id).toBe(TOKEN.id)
    expect(server.requests).toHaveLength(1)
  })

  it('aborted during a first attempt that fails: no retry is sent', async () => {
    const controller = new AbortController()
    const { server, client } = await setUp(() => {
      controller.abort()
      return { status: 503, body: '{"msg":"busy"}' }
    })
    const error = (await failure(client.getTokenCurrent({ stop: controller.signal }))) as FastlyApiError
    expect(error.code).toBe('aborted')
    expect(error.attempts).toBe(1)
    expect(server.requests).toHaveLength(1)
  })

  it('aborted between POST /sudo and POST /tokens: the mint request is never sent', async () => {
    const controller = new AbortController()
    const { server, client } = await setUp(req => {
      if (req.url === '/sudo') controller.abort()
      return { status: 200, body: JSON.stringify(TOKEN) }
    })
    const error = (await failure(
      client.createToken({ password: 'pw' }, { stop: controller.signal })
    )) as FastlyApiError
    expect(error.code).toBe('aborted')
    expect(error.path).toBe('/tokens')
    expect(error.attempts).toBe(0)
    expect(server.requests.map(r => r.url)).toEqual(['/sudo'])
  })
})
