import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer, request, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { Agent } from 'undici'
import { FastlyApiError, FastlyTokensClient, InsecureEndpointError } from '../../src/client/index.js'
import { startScriptedServer, type ScriptedServer } from '../http/scripted-server.js'
import { API_TOKEN, failure, PACKAGE_JSON_VERSION, testClient } from './harness.js'
import { recorded, replay } from './recorded.js'

const [getSelf] = recorded('get_self')
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function api(host = '127.0.0.1'): Promise<ScriptedServer> {
  const server = await startScriptedServer(() => replay(getSelf!), { host })
  cleanups.push(() => server.close())
  return server
}

function track(client: FastlyTokensClient): FastlyTokensClient {
  cleanups.push(() => client.close())
  return client
}

describe('credentials and endpoint from the env option', () => {
  it('FASTLY_API_TOKEN and FASTLY_API_ENDPOINT are the fallbacks', async () => {
    const server = await api()
    const client = track(
      new FastlyTokensClient({ env: { FASTLY_API_TOKEN: 'envToken123', FASTLY_API_ENDPOINT: server.url } })
    )
    await client.getTokenCurrent()
    expect(server.requests[0]?.headers['fastly-key']).toBe('envToken123')
  })

  it('the options win over the environment', async () => {
    const server = await api()
    const client = track(
      new FastlyTokensClient({
        apiToken: 'optionToken',
        baseUrl: server.url,
        env: { FASTLY_API_TOKEN: 'envToken123', FASTLY_API_ENDPOINT: 'http://10.9.9.9:1' }
      })
    )
    await client.getTokenCurrent()
    expect(server.requests[0]?.headers['fastly-key']).toBe('optionToken')
  })

  it('empty values count as unset (unconfigured CI variables arrive as "")', async () => {
    const server = await api()
    const client = track(
      new FastlyTokensClient({
        apiToken: '',
        baseUrl: '',
        env: { FASTLY_API_TOKEN: 'envToken123', FASTLY_API_ENDPOINT: server.url }
      })
    )
    await client.getTokenCurrent()
    expect(server.requests[0]?.headers['fastly-key']).toBe('envToken123')
  })

  it('a base URL path prefix is kept', async () => {
    const server = await api()
    const client = track(testClient(`${server.url}/fastly/`))
    await client.getTokenCurrent()
    expect(server.requests[0]?.url).toBe('/fastly/tokens/self')
  })

  it('an API token with a line break is refused without echoing it', () => {
    expect(() => new FastlyTokensClient({ apiToken: 'abc\r\nX-Evil: 1', env: {} })).toThrow(
      /apiToken must be a single API token/
    )
    let message = ''
    try {
      new FastlyTokensClient({ env: { FASTLY_API_TOKEN: 'tok en' } })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/^FASTLY_API_TOKEN must be/)
    expect(message).not.toContain('tok en')
  })

  it('a token that is not printable ASCII is refused when the client is built', async () => {
    // Beyond Latin-1, undici would fail the request as UND_ERR_INVALID_ARG: a "network failure"
    // after which a POST may have minted.
    const server = await api()
    for (const apiToken of ['token\u20acvalue', 'token\u00e9value', 'token\u00a0value']) {
      expect(() => new FastlyTokensClient({ apiToken, baseUrl: server.url, env: {} })).toThrow(
        /apiToken must be a single API token: printable ASCII/
      )
      const client = track(testClient(server.url))
      expect(() => client.withToken(apiToken)).toThrow(/withToken\(apiToken\) must be a single API token/)
    }
    expect(server.requests).toHaveLength(0)
  })
})

describe('plain http only on loopback', () => {
  it.each([
    'http://api.fastly.com',
    'http://10.0.0.1:8080',
    'http://localhost.example.com',
    'http://127.0.0.1.nip.io',
    'http://[::2]:80'
  ])('%s is refused with InsecureEndpointError', baseUrl => {
    expect(() => new FastlyTokensClient({ baseUrl, env: {} })).toThrow(InsecureEndpointError)
  })

  it('the environment variable is checked the same way, and named', () => {
    expect(() => new FastlyTokensClient({ env: { FASTLY_API_ENDPOINT: 'http://api.fastly.com' } })).toThrow(
      /FASTLY_API_ENDPOINT uses plain http:\/\/ for api\.fastly\.com/
    )
  })

  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    ['localhost', '127.0.0.1'],
    ['127.0.0.2', '127.0.0.2']
  ])('http://%s is accepted and answers', async (host, listenOn) => {
    const server = await api(listenOn)
    const client = track(testClient(`http://${host.includes(':') ? `[${host}]` : host}:${server.port}`))
    const token = await client.getTokenCurrent()
    expect(token.name).toBe('TempTokenForGoFastlyTests')
    expect(server.requests).toHaveLength(1)
  })

  it.each([
    ['ftp://api.fastly.com', /must be an http\(s\) URL/],
    ['not a url', /not an absolute URL/],
    ['https://user:pw@api.fastly.com', /must not carry credentials/],
    ['https://api.fastly.com/?x=1', /must not have a query/]
  ])('%s is refused with a clear error', (baseUrl, pattern) => {
    expect(() => new FastlyTokensClient({ baseUrl, env: {} })).toThrow(pattern)
  })
})

describe('options are checked when the client is built', () => {
  it.each([
    [{ timeoutMs: 0 }, /timeoutMs must be a positive number/],
    [{ timeoutMs: Number.NaN }, /timeoutMs must be a positive number/],
    [{ retry: { maxAttempts: 0 } }, /retry.maxAttempts must be an integer >= 1/],
    [{ retry: { baseDelayMs: -1 } }, /retry.baseDelayMs must be a finite number >= 0/],
    [{ retry: { sleep: 5 } }, /retry.sleep must be a function/],
    [{ userAgent: 'a\r\nb' }, /userAgent must be a single-line string/]
  ])('%j', (options, pattern) => {
    expect(() => new FastlyTokensClient({ env: {}, ...(options as object) })).toThrow(pattern)
  })
})

describe('connections', () => {
  it('keeps the connection alive between calls, and withToken shares it with another key', async () => {
    const server = await api()
    const client = track(testClient(server.url))
    await client.getTokenCurrent()
    await client.getTokenCurrent()
    const other = client.withToken('secondToken')
    await other.getTokenCurrent()
    await other.close() // leaves the shared dispatcher open
    await client.getTokenCurrent()
    // undici may open a second socket while the first is being released, but connections are
    // reused, and the withToken client's request rides on one the parent opened.
    const ports = server.requests.map(r => r.remotePort)
    expect(new Set(ports).size).toBeLessThan(ports.length)
    expect(ports.slice(0, 2)).toContain(ports[2])
    expect(server.requests.map(r => r.headers['fastly-key'])).toEqual([
      API_TOKEN,
      API_TOKEN,
      'secondToken',
      API_TOKEN
    ])
  })

  it('withToken refuses an empty token', async () => {
    const client = track(testClient('http://127.0.0.1:1'))
    expect(() => client.withToken('')).toThrow(/withToken\(apiToken\) needs a non-empty API token/)
  })

  it('a closed client refuses further calls', async () => {
    const server = await api()
    const client = testClient(server.url)
    await client.close()
    await expect(client.getTokenCurrent()).rejects.toThrow(/FastlyTokensClient is closed/)
    expect(server.requests).toHaveLength(0)
  })

  it('a dispatcher passed in is used and stays open after close()', async () => {
    const server = await api()
    const dispatcher = new Agent()
    cleanups.push(() => dispatcher.close())
    const client = testClient(server.url, { dispatcher })
    await client.getTokenCurrent()
    await client.close()
    const again = track(testClient(server.url, { dispatcher }))
    await again.getTokenCurrent()
    expect(server.requests).toHaveLength(2)
  })

  it('the User-Agent names the package and the version in package.json', async () => {
    const server = await api()
    await track(testClient(server.url)).getTokenCurrent()
    expect(server.requests[0]?.headers['user-agent']).toBe(`fastly-token-action/${PACKAGE_JSON_VERSION}`)
  })
})

/**
 * A proxy on loopback that records what it was asked and reaches only loopback: http targets come
 * as absolute-form requests (forwarded to loopback), https targets as CONNECT (refused).
 */
async function startProxy() {
  const connects: Array<{ target: string; headers: IncomingHttpHeaders }> = []
  const forwarded: string[] = []
  const sockets = new Set<Socket>()
  const proxy = createServer((req, res) => {
    const target = new URL(req.url ?? '')
    forwarded.push(target.href)
    if (target.hostname !== '127.0.0.1') {
      res.writeHead(403)
      res.end()
      return
    }
    const upstream = request(target, { method: req.method, headers: req.headers }, answer => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  proxy.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  proxy.on('connect', (req, socket: Socket) => {
    // Tunnels would reach the internet (https targets): record the request and refuse it.
    connects.push({ target: req.url ?? '', headers: req.headers })
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n')
  })
  await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', () => resolve()))
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>(resolve => proxy.close(() => resolve()))
  })
  return { url, connects, forwarded }
}

describe('proxies from the environment (EnvHttpProxyAgent)', () => {
  it('HTTP_PROXY carries the request', async () => {
    const server = await api()
    const proxy = await startProxy()
    const client = track(testClient(server.url, { env: { HTTP_PROXY: proxy.url } }))
    await client.getTokenCurrent()
    expect(proxy.forwarded).toEqual([`${server.url}/tokens/self`])
    expect(server.requests).toHaveLength(1)
  })

  it('NO_PROXY bypasses it', async () => {
    const server = await api()
    const proxy = await startProxy()
    const client = track(
      testClient(server.url, { env: { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' } })
    )
    await client.getTokenCurrent()
    expect(proxy.connects).toEqual([])
    expect(proxy.forwarded).toEqual([])
    expect(server.requests).toHaveLength(1)
  })

  it('HTTPS_PROXY tunnels https://api.fastly.com through CONNECT, the key only inside the tunnel', async () => {
    const proxy = await startProxy()
    // The proxy refuses non-loopback targets, so nothing leaves this machine.
    const client = track(
      new FastlyTokensClient({
        env: { HTTPS_PROXY: proxy.url, FASTLY_API_TOKEN: API_TOKEN },
        retry: { maxAttempts: 1 }
      })
    )
    const error = (await failure(client.getTokenCurrent())) as FastlyApiError
    expect(error).toBeInstanceOf(FastlyApiError)
    expect(error.status).toBeUndefined()
    expect(proxy.connects.map(c => c.target)).toEqual(['api.fastly.com:443'])
    expect(JSON.stringify(proxy.connects[0]?.headers)).not.toContain(API_TOKEN)
  })

  it('a machine proxy not in the env option is ignored (tests and callers decide alone)', async () => {
    const server = await api()
    const previous = process.env.HTTP_PROXY
    process.env.HTTP_PROXY = 'http://127.0.0.1:9'
    try {
      const client = track(testClient(server.url, { env: {} }))
      await client.getTokenCurrent()
      expect(server.requests).toHaveLength(1)
    } finally {
      if (previous === undefined) delete process.env.HTTP_PROXY
      else process.env.HTTP_PROXY = previous
    }
  })
})
