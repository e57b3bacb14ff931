/**
 * Limits on everything a caller controls (body size, header size, request time, requests in
 * flight) and on what minting spends (per repository, and Fastly's budget): each refusal is the
 * fixed JSON error with its status, and the simulator sees no mint for it.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { createConnection } from 'node:net'
import { BrokerWorld, waitFor } from './world.js'

let world: BrokerWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

async function start(extra: Record<string, unknown> = {}): Promise<BrokerWorld> {
  world = await BrokerWorld.start(extra)
  return world
}

/** Sends raw bytes and reads until the server closes or the answer is complete. */
function raw(url: string, text: string, opts: { end?: boolean } = {}): Promise<string> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: hostname, port: Number(port) })
    let answer = ''
    socket.on('data', chunk => (answer += chunk.toString()))
    socket.on('close', () => resolve(answer))
    socket.on('error', reject)
    socket.write(text)
    if (opts.end) socket.end()
  })
}

describe('limits on the request', () => {
  it('refuses a body over max-body-bytes with 413 before reading it all', async () => {
    const w = await start({ limits: { 'max-body-bytes': 64 } })
    const answer = await w.mint(
      {},
      { scope: 'purge_select', services: Array(10).fill('SU1Z0isxPaozGVKXdv0eY') }
    )
    expect(answer.status).toBe(413)
    expect(answer.json.error).toBe('body_too_large')
    expect(w.mintRequests()).toHaveLength(0)
  })

  it('refuses headers over max-header-bytes with a JSON 431', async () => {
    const w = await start({ limits: { 'max-header-bytes': 2048 } })
    const answer = await raw(
      w.broker.url,
      `POST /v1/token HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(4096)}\r\nContent-Length: 0\r\n\r\n`
    )
    expect(answer).toMatch(/^HTTP\/1\.1 431 /)
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
      error: 'headers_too_large'
    })
  })

  it('answers 408 to a request whose body never arrives within the request time', async () => {
    const w = await start({ limits: { 'request-timeout': '1s' } })
    const answer = await raw(
      w.broker.url,
      'POST /v1/token HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"sc'
    )
    expect(answer).toMatch(/^HTTP\/1\.1 408 /)
    expect(w.mintRequests()).toHaveLength(0)
  })

  it('refuses requests beyond max-concurrent with 503 and Retry-After', async () => {
    const w = await start({ limits: { 'max-concurrent': 2 } })
    const hold = { route: 'POST /tokens', kind: 'latency' as const, ms: 700, times: 2 }
    w.sim.state.faults.push(hold)
    const held = [w.mint(), w.mint()]
    await waitFor(() => w.broker.metrics.inFlight === 2, 'two requests in flight')
    const third = await w.mint()
    expect(third.status).toBe(503)
    expect(third.json.error).toBe('overloaded')
    expect(third.headers.get('retry-after')).toBe('1')
    expect((await Promise.all(held)).map(a => a.status)).toEqual([200, 200])
    expect(w.mintRequests()).toHaveLength(2)
  })

  it('answers 404 and 405 as JSON errors', async () => {
    const w = await start()
    const missing = await fetch(`${w.broker.url}/v1/tokens`)
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { error: string }).error).toBe('not_found')
    const wrong = await fetch(`${w.broker.url}/v1/token`)
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('POST')
  })
})

describe('limits on minting', () => {
  it('allows per-repository mints per window, then 429 with Retry-After; other repositories go on', async () => {
    const w = await start({ 'rate-limit': { 'per-repository': 2, window: '1h' } })
    expect((await w.mint()).status).toBe(200)
    expect((await w.mint()).status).toBe(200)
    const third = await w.mint()
    expect(third.status).toBe(429)
    expect(third.json.error).toBe('rate_limited')
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(Number(third.headers.get('retry-after'))).toBeLessThanOrEqual(3600)
    const preview = await w.mint({
      repository: 'acme/web',
      ref: 'refs/pull/1/merge',
      event_name: 'pull_request'
    })
    expect(preview.status).toBe(200)
    expect(w.mintRequests()).toHaveLength(3)
  })

  it("keeps Fastly's reserve: once the reported budget falls to it, 429 fastly_budget without asking Fastly", async () => {
    const w = await start({ 'rate-limit': { 'fastly-reserve': 2 } })
    w.sim.state.settings.writeLimitPerHour = 5
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await w.mint()).status)
    // 5 writes an hour: three mints leave 2, the reserve.
    expect(statuses).toEqual([200, 200, 200, 429])
    expect(w.mintRequests()).toHaveLength(3)
    const metrics = await (await fetch(`${w.broker.url}/metrics`)).text()
    expect(metrics).toMatch(/^fastly_broker_fastly_ratelimit_remaining 2$/m)
    expect(metrics).toMatch(/^fastly_broker_refusals_total\{reason="fastly_budget"\} 1$/m)
  })
})
