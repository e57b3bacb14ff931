/** The hourly write budget: headers, 429, GETs untouched, window reset, per-user sharing. */
import { describe, expect, it } from '@jest/globals'
import { MESSAGES } from '../../src/simulator/index.js'
import { call, withSim } from './helpers.js'

// 2021-11-02T18:46:13Z: the window ends at 19:00:00Z.
const RESET = String(Date.UTC(2021, 10, 2, 19) / 1000)

describe('write budget', () => {
  it('reports Fastly-RateLimit-Remaining/-Reset on each write, counting down to a 429', async () => {
    await withSim({ writeLimitPerHour: 3 }, async sim => {
      const key = sim.state.addToken({ user: 'demo@example.com' }).access_token
      const seen: Array<[number, string | undefined]> = []
      for (let i = 0; i < 4; i++) {
        const reply = await call(sim, 'DELETE', '/tokens/unknownTokenId00000000', { key })
        expect(reply.headers['fastly-ratelimit-reset']).toBe(RESET)
        seen.push([reply.status, reply.headers['fastly-ratelimit-remaining'] as string])
      }
      expect(seen).toEqual([
        [404, '2'],
        [404, '1'],
        [404, '0'],
        [429, '0']
      ])
      const limited = await call(sim, 'POST', '/sudo', { key, form: { password: 'demo-password' } })
      expect(limited.status).toBe(429)
      expect(limited.json()).toEqual({ msg: MESSAGES.rateLimited })
      expect(limited.headers['content-type']).toBe('application/json')
      expect(sim.state.writesUsed('demo@example.com')).toBe(3)
    })
  })

  it('never limits GETs, which carry no rate-limit headers even when the budget is spent', async () => {
    await withSim({ writeLimitPerHour: 1 }, async sim => {
      const key = sim.state.addToken({ user: 'demo@example.com' }).access_token
      await call(sim, 'DELETE', '/tokens/unknownTokenId00000000', { key })
      expect((await call(sim, 'DELETE', '/tokens/self', { key })).status).toBe(429)
      for (let i = 0; i < 5; i++) {
        const reply = await call(sim, 'GET', '/tokens/self', { key })
        expect(reply.status).toBe(200)
        expect(reply.headers['fastly-ratelimit-remaining']).toBeUndefined()
      }
    })
  })

  it('resets when the simulator clock crosses the hour', async () => {
    await withSim({ writeLimitPerHour: 1 }, async sim => {
      const key = sim.state.addToken({ user: 'demo@example.com' }).access_token
      await call(sim, 'DELETE', '/tokens/unknownTokenId00000000', { key })
      expect((await call(sim, 'DELETE', '/tokens/self', { key })).status).toBe(429)
      sim.state.clock.advance(13 * 60_000 + 47_000) // 18:59:60 = 19:00:00
      const reply = await call(sim, 'DELETE', '/tokens/self', { key })
      expect(reply.status).toBe(204)
      expect(reply.headers['fastly-ratelimit-remaining']).toBe('0')
      expect(reply.headers['fastly-ratelimit-reset']).toBe(String(Number(RESET) + 3600))
    })
  })

  it('is shared by all tokens of a user, separate between users, and counts password grants', async () => {
    await withSim({ writeLimitPerHour: 2 }, async sim => {
      const a = sim.state.addToken({ user: 'demo@example.com' }).access_token
      const b = sim.state.addToken({ user: 'demo@example.com' }).access_token
      const admin = sim.state.addToken({ user: 'admin@example.com' }).access_token
      expect(
        (
          await call(sim, 'POST', '/tokens', {
            form: { username: 'demo@example.com', password: 'demo-password' }
          })
        ).status
      ).toBe(200)
      expect((await call(sim, 'DELETE', '/tokens/unknownTokenId00000000', { key: a })).status).toBe(404)
      expect((await call(sim, 'DELETE', '/tokens/unknownTokenId00000000', { key: b })).status).toBe(429)
      expect((await call(sim, 'DELETE', '/tokens/unknownTokenId00000000', { key: admin })).status).toBe(404)
      expect(sim.state.writesUsed('admin@example.com')).toBe(1)
    })
  })

  it('honours a per-user limit and runtime changes of the default', async () => {
    await withSim(
      {
        users: [
          { email: 'big@example.com', password: 'pw', writeLimitPerHour: 5000 },
          { email: 'small@example.com', password: 'pw' }
        ]
      },
      async sim => {
        const big = sim.state.addToken({ user: 'big@example.com' }).access_token
        const small = sim.state.addToken({ user: 'small@example.com' }).access_token
        const bigReply = await call(sim, 'DELETE', '/tokens/unknownTokenId00000000', { key: big })
        expect(bigReply.headers['fastly-ratelimit-remaining']).toBe('4999')
        sim.state.settings.writeLimitPerHour = 10
        const smallReply = await call(sim, 'DELETE', '/tokens/unknownTokenId00000000', { key: small })
        expect(smallReply.headers['fastly-ratelimit-remaining']).toBe('9')
      }
    )
  })

  it('does not charge failed authentication', async () => {
    await withSim({ writeLimitPerHour: 1 }, async sim => {
      const reply = await call(sim, 'DELETE', '/tokens/self', { key: 'not-a-live-token' })
      expect(reply.status).toBe(401)
      expect(reply.headers['fastly-ratelimit-remaining']).toBe('1')
      const wrong = await call(sim, 'POST', '/tokens', {
        form: { username: 'demo@example.com', password: 'x' }
      })
      expect(wrong.status).toBe(400)
      expect(sim.state.writesUsed('demo@example.com')).toBe(0)
    })
  })
})
