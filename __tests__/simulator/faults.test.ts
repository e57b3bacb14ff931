/** Fault injection: each kind, per-route matching, `times`, the `after` phase and seeded replay. */
import { describe, expect, it } from '@jest/globals'
import { request } from 'undici'
import type { FaultRule, Simulator } from '../../src/simulator/index.js'
import { startSimulator } from '../../src/simulator/index.js'
import { call, withSim } from './helpers.js'

function lastLogFaults(sim: Simulator): string[] {
  return sim.state.requests().at(-1)!.faults
}

describe('fault injection', () => {
  it('status5xx answers the configured status with a JSON body, then stops after `times`', async () => {
    await withSim(
      { faults: [{ route: 'GET /tokens/self', kind: 'status5xx', status: 502, times: 2 }] },
      async sim => {
        const key = sim.state.addToken({ user: 'demo@example.com' }).access_token
        const statuses = []
        for (let i = 0; i < 3; i++) statuses.push((await call(sim, 'GET', '/tokens/self', { key })).status)
        expect(statuses).toEqual([502, 502, 200])
        expect((await call(sim, 'GET', '/tokens', { key })).status).toBe(200)
        expect(sim.state.faultsFired(sim.state.faults[0]!)).toBe(2)
      }
    )
  })

  it('drop destroys the connection without an answer', async () => {
    await withSim({ faults: [{ route: 'GET /tokens/self', kind: 'drop', times: 1 }] }, async sim => {
      const key = sim.state.addToken({ user: 'demo@example.com' }).access_token
      await expect(call(sim, 'GET', '/tokens/self', { key })).rejects.toThrow()
      expect(sim.state.requests().at(-1)).toMatchObject({ status: 0, faults: ['drop'] })
      expect((await call(sim, 'GET', '/tokens/self', { key })).status).toBe(200)
    })
  })

  it("phase 'after' applies the request before failing (a revocation that did happen)", async () => {
    const faults: FaultRule[] = [
      { route: 'DELETE /tokens/{token_id}', kind: 'status5xx', phase: 'after', times: 1 },
      { route: 'DELETE /tokens/self', kind: 'drop', phase: 'after', times: 1 }
    ]
    await withSim({ faults }, async sim => {
      const caller = sim.state.addToken({ user: 'demo@example.com' })
      const target = sim.state.addToken({ user: 'demo@example.com' })
      expect((await call(sim, 'DELETE', `/tokens/${target.id}`, { key: caller.access_token })).status).toBe(
        503
      )
      expect(sim.state.token(target.id)).toBeUndefined()
      await expect(call(sim, 'DELETE', '/tokens/self', { key: caller.access_token })).rejects.toThrow()
      expect(sim.state.token(caller.id)).toBeUndefined()
    })
  })

  it('malformedJson sends a cut JSON body with the JSON content type', async () => {
    await withSim({ faults: [{ route: 'GET /tokens', kind: 'malformedJson', times: 1 }] }, async sim => {
      const key = sim.state.addToken({ user: 'demo@example.com' }).access_token
      const reply = await call(sim, 'GET', '/tokens', { key })
      expect(reply.status).toBe(200)
      expect(reply.headers['content-type']).toBe('application/json')
      expect(() => reply.json()).toThrow(SyntaxError)
      expect(Number(reply.headers['content-length'])).toBe(Buffer.byteLength(reply.text))
      // times: 1, so the next answer is whole again.
      expect(Array.isArray((await call(sim, 'GET', '/tokens', { key })).json())).toBe(true)
    })
  })

  it('rateLimit answers a burst of 429s with the real body without spending the budget', async () => {
    await withSim({ faults: [{ route: 'DELETE *', kind: 'rateLimit', times: 3 }] }, async sim => {
      const key = sim.state.addToken({ user: 'demo@example.com' }).access_token
      const replies = []
      for (let i = 0; i < 4; i++)
        replies.push(await call(sim, 'DELETE', '/tokens/unknownTokenId00000000', { key }))
      expect(replies.map(r => r.status)).toEqual([429, 429, 429, 404])
      expect(replies[0]!.json()).toEqual({
        msg: 'You have exceeded your hourly rate limit. Please contact support@fastly.com if you think this is a mistake.'
      })
      expect(replies[0]!.headers['fastly-ratelimit-remaining']).toBe('0')
      expect(Number(replies[0]!.headers['fastly-ratelimit-reset']) % 3600).toBe(0)
      expect(replies[3]!.headers['fastly-ratelimit-remaining']).toBe('999')
      // GET routes did not match 'DELETE *'.
      expect((await call(sim, 'GET', '/tokens/self', { key })).status).toBe(200)
    })
  })

  it('slowBody sends the headers and half the body, then holds the rest', async () => {
    const sim = await startSimulator({
      faults: [{ route: 'GET /tokens/self', kind: 'slowBody', ms: 60_000 }]
    })
    try {
      const key = sim.state.addToken({ user: 'demo@example.com' }).access_token
      const response = await request(`${sim.url}/tokens/self`, { headers: { 'fastly-key': key } })
      expect(response.statusCode).toBe(200)
      const length = Number(response.headers['content-length'])
      const reader = response.body[Symbol.asyncIterator]()
      const first = (await reader.next()).value as Buffer
      expect(first.length).toBe(Math.floor(length / 2))
      response.body.on('error', () => {}) // the close below cuts the held-back half
    } finally {
      await sim.close()
    }
  })

  it('latency holds a request while others are served, and adds up with latencyMs', async () => {
    const sim = await startSimulator({ faults: [{ route: 'GET /tokens', kind: 'latency', ms: 60_000 }] })
    const key = sim.state.addToken({ user: 'demo@example.com' }).access_token
    let settled = false
    const held = call(sim, 'GET', '/tokens', { key }).then(
      () => (settled = true),
      () => (settled = true)
    )
    try {
      expect((await call(sim, 'GET', '/tokens/self', { key })).status).toBe(200)
      expect((await call(sim, 'GET', '/tokens/self', { key })).status).toBe(200)
      expect(settled).toBe(false)
    } finally {
      await sim.close()
      await held
    }
    // A short one completes and is logged with its fault.
    await withSim({ latencyMs: 5, faults: [{ kind: 'latency', ms: 5 }] }, async quick => {
      const quickKey = quick.state.addToken({ user: 'demo@example.com' }).access_token
      expect((await call(quick, 'GET', '/tokens/self', { key: quickKey })).status).toBe(200)
      expect(lastLogFaults(quick)).toEqual(['latency'])
    })
  })

  it('the same seed replays the same fault sequence; the seed in use is reported', async () => {
    const faults: FaultRule[] = [
      { kind: 'status5xx', probability: 0.5 },
      { kind: 'malformedJson', probability: 0.3 }
    ]
    const run = async (seed?: number) =>
      withSim({ seed, faults }, async sim => {
        const key = sim.state.addToken({ user: 'demo@example.com' }).access_token
        const outcomes: string[] = []
        for (let i = 0; i < 40; i++) {
          await call(sim, 'GET', '/tokens/self', { key })
          outcomes.push(lastLogFaults(sim).join('+') || 'none')
        }
        return { outcomes, seed: sim.state.seed }
      })
    const first = await run(1234)
    const again = await run(1234)
    expect(again.outcomes).toEqual(first.outcomes)
    expect(first.seed).toBe(1234)
    expect(new Set(first.outcomes).size).toBeGreaterThan(1)
    const other = await run(99)
    expect(other.outcomes).not.toEqual(first.outcomes)
    // Without a seed a random one is chosen, and feeding it back replays the run.
    const unseeded = await run()
    expect((await run(unseeded.seed)).outcomes).toEqual(unseeded.outcomes)
  })

  it('the same seed also replays ids and access tokens', async () => {
    const ids = async () =>
      withSim({ seed: 42 }, async sim => {
        const token = sim.state.addToken({ user: 'demo@example.com' })
        return [token.id, token.access_token]
      })
    expect(await ids()).toEqual(await ids())
  })

  it('rules can be added and replaced at runtime; bad rules are refused with their position', async () => {
    await withSim({}, async sim => {
      const key = sim.state.addToken({ user: 'demo@example.com' }).access_token
      sim.state.faults.push({ route: 'GET /tokens/{token_id}', kind: 'status5xx', status: 500, times: 1 })
      expect((await call(sim, 'GET', '/tokens/someTokenId00000000000', { key })).status).toBe(500)
      sim.state.faults = [{ kind: 'status5xx', probability: 0 }]
      expect((await call(sim, 'GET', '/tokens/self', { key })).status).toBe(200)
      expect(() => {
        sim.state.faults = [{ kind: 'latency' }, { kind: 'explode' as 'drop' }]
      }).toThrow(/faults\[1\]\.kind/)
      expect(() => {
        sim.state.faults = [{ kind: 'status5xx', status: 404 }]
      }).toThrow(/status/)
    })
    await expect(startSimulator({ faults: [{ kind: 'latency', probability: 2 }] })).rejects.toThrow(
      /faults\[0\]\.probability/
    )
  })
})
