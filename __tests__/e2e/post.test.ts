/**
 * The post step's promises, each against the simulator: one log line and one summary line per
 * outcome, retries within a deadline, a 403 fallback, and never a failed job.
 */
import { describe, it, expect } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DEMO,
  TOKEN_HOMES,
  assertNoLeak,
  logLines,
  messages,
  runStep,
  withSimulator,
  type StepResult
} from './harness.js'
import { MESSAGES, type Simulator } from '../../src/simulator/index.js'

async function mint(sim: Simulator, inputs: Record<string, string> = {}): Promise<StepResult> {
  const main = await runStep({
    step: 'main',
    inputs: { username: DEMO.user, password: DEMO.password, 'api-url': sim.url, ...inputs }
  })
  expect(main.exitCode).toBe(0)
  return main
}

function post(
  main: StepResult,
  options: { inputs?: Record<string, string>; state?: Record<string, string>; debug?: boolean } = {}
) {
  return runStep({
    step: 'post',
    inputs: {
      username: DEMO.user,
      password: DEMO.password,
      'api-url': main.state['api-url'],
      ...options.inputs
    },
    state: { ...main.state, ...options.state },
    ...(options.debug ? { debug: true } : {})
  })
}

function secretsOf(main: StepResult, extra: Record<string, string> = {}) {
  return { token: main.outputs.token, password: DEMO.password, ...extra }
}

describe('post step and the runner environment', () => {
  it('still revokes when the event payload file is unreadable JSON (cleanup never fails the job)', () =>
    withSimulator({}, async sim => {
      const main = await mint(sim)
      const dir = mkdtempSync(join(tmpdir(), 'event-'))
      const eventPath = join(dir, 'event.json')
      writeFileSync(eventPath, '{"truncated": ')
      const result = await runStep({
        step: 'post',
        inputs: { 'api-url': main.state['api-url'] },
        state: main.state,
        env: { GITHUB_EVENT_PATH: eventPath }
      })
      expect(result.exitCode).toBe(0)
      expect(logLines(result)).toEqual([
        `Revoked token ${main.outputs['token-id']} (DELETE /tokens/self with the token itself)`
      ])
      expect(sim.state.token(main.outputs['token-id']!)).toBeUndefined()
      assertNoLeak(result, secretsOf(main), { token: TOKEN_HOMES })
    }))
})

describe.each([false, true])('post step (step debug %s)', debug => {
  it('shows a token the API says expired as expired, not revoked (simulator clock moved past expiry)', () =>
    withSimulator({}, async sim => {
      const main = await mint(sim, { 'expires-in': '1m' })
      sim.state.clock.advance(2 * 3_600_000)
      const result = await post(main, { debug })
      expect(result.exitCode).toBe(0)
      expect(logLines(result)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^Token ${main.outputs['token-id']} had already expired \\(HTTP 401: Token ${main.outputs['token-id']} expired at \\S+\\); nothing to revoke$`
          )
        )
      ])
      expect(messages(result, 'warning')).toEqual([])
      assertNoLeak(result, secretsOf(main), { token: TOKEN_HOMES })
    }))

  it('skips a token whose expiry has passed on its own clock, without a request', () =>
    withSimulator({}, async sim => {
      const main = await mint(sim)
      const before = sim.state.requests().length
      const result = await post(main, { debug, state: { 'expires-at': '2020-01-01T00:00:00Z' } })
      expect(result.exitCode).toBe(0)
      expect(logLines(result)).toEqual([
        `Token ${main.outputs['token-id']} already expired at 2020-01-01T00:00:00Z; nothing to revoke`
      ])
      expect(result.summary).toContain('already expired')
      expect(sim.state.requests().length).toBe(before)
      assertNoLeak(result, secretsOf(main), { token: TOKEN_HOMES })
    }))

  it('treats a token revoked meanwhile as gone', () =>
    withSimulator({}, async sim => {
      const main = await mint(sim)
      expect(sim.state.revokeToken(main.outputs['token-id']!)).toBe(true)
      const result = await post(main, { debug })
      expect(result.exitCode).toBe(0)
      expect(logLines(result)[0]).toMatch(/^Token \w+ was already revoked or expired \(HTTP 401/)
      assertNoLeak(result, secretsOf(main), { token: TOKEN_HOMES })
    }))

  it('retries 5xx answers and revokes', () =>
    withSimulator({}, async sim => {
      const main = await mint(sim)
      sim.state.faults = [{ route: 'DELETE /tokens/self', kind: 'status5xx', status: 503, times: 2 }]
      const result = await post(main, { debug })
      expect(result.exitCode).toBe(0)
      expect(logLines(result)).toEqual([
        `Revoked token ${main.outputs['token-id']} (DELETE /tokens/self with the token itself)`
      ])
      expect(
        sim.state
          .requests()
          .filter(r => r.route === 'DELETE /tokens/self')
          .map(r => r.status)
      ).toEqual([503, 503, 204])
      expect(sim.state.findByAccessToken(main.outputs.token!)).toBeUndefined()
      assertNoLeak(result, secretsOf(main), { token: TOKEN_HOMES })
    }))

  // Real backoff waits (about 3-6 s): once, with debug logging on, is enough.
  const persistentIt = debug ? it : it.skip
  persistentIt(
    'ends persistent 5xx with a warning that carries the status and message, never a failed job',
    () =>
      withSimulator({}, async sim => {
        const main = await mint(sim)
        sim.state.faults = [{ route: 'DELETE /tokens/self', kind: 'status5xx', status: 503 }]
        const result = await post(main, { debug })
        expect(result.exitCode).toBe(0)
        const [warning] = messages(result, 'warning')
        expect(warning).toMatch(
          new RegExp(
            `^Could not revoke token ${main.outputs['token-id']}: Fastly API DELETE /tokens/self answered 503 Service Unavailable: .+; it stays valid until it expires at ${main.outputs['expires-at']}$`
          )
        )
        expect(result.commands.find(c => c.command === 'warning')?.properties).toEqual({
          title: 'Fastly token not revoked'
        })
        expect(result.summary).toContain('Could not revoke token')
        expect(sim.state.findByAccessToken(main.outputs.token!)).toBeDefined()
        assertNoLeak(result, secretsOf(main), { token: TOKEN_HOMES })
      })
  )

  it('falls back to DELETE /tokens/{id} with api-token when self-revocation is refused', () =>
    withSimulator({ readOnlySelfRevoke: false }, async sim => {
      const admin = sim.state.addToken({ user: DEMO.user, scope: 'global' })
      const main = await mint(sim, { 'api-token': admin.access_token })
      const result = await post(main, { debug, inputs: { 'api-token': admin.access_token } })
      expect(result.exitCode).toBe(0)
      const id = main.outputs['token-id']!
      expect(logLines(result)).toEqual([
        `Revoked token ${id} with api-token (DELETE /tokens/${id}) after the API refused self-revocation (HTTP 403: ${MESSAGES.readOnly})`
      ])
      expect(sim.state.token(id)).toBeUndefined()
      assertNoLeak(result, secretsOf(main, { 'api-token': admin.access_token }), { token: TOKEN_HOMES })
    }))

  it('warns with the id and expiry when self-revocation is refused and there is no api-token', () =>
    withSimulator({ readOnlySelfRevoke: false }, async sim => {
      const main = await mint(sim)
      const result = await post(main, { debug })
      expect(result.exitCode).toBe(0)
      const id = main.outputs['token-id']!
      expect(messages(result, 'warning')).toEqual([
        `The API refused to let token ${id} revoke itself (HTTP 403: ${MESSAGES.readOnly}) and no api-token was given to revoke it by id; it stays valid until it expires at ${main.outputs['expires-at']}`
      ])
      expect(sim.state.token(id)).toBeDefined()
      assertNoLeak(result, secretsOf(main), { token: TOKEN_HOMES })
    }))
})

it('keeps the token with revoke: false, and says until when', () =>
  withSimulator({}, async sim => {
    const main = await mint(sim, { revoke: 'false' })
    expect(main.state.revoke).toBe('false')
    const result = await post(main, { inputs: { revoke: 'false' } })
    expect(result.exitCode).toBe(0)
    expect(logLines(result)).toEqual([
      `Kept token ${main.outputs['token-id']} (revoke: false); it stays valid until it expires at ${main.outputs['expires-at']}`
    ])
    expect(sim.state.findByAccessToken(main.outputs.token!)).toBeDefined()
    assertNoLeak(result, secretsOf(main), { token: TOKEN_HOMES })
  }))

it('hands a token minted while the job is being cancelled to post, which revokes it', () =>
  withSimulator({ faults: [{ route: 'POST /tokens', kind: 'latency', ms: 500 }] }, async sim => {
    const inputs = { username: DEMO.user, password: DEMO.password, 'api-url': sim.url }
    const main = await runStep({
      step: 'main',
      inputs,
      signalWhen: { signal: 'SIGINT', line: /^Minting token/m }
    })
    expect(main.exitCode).toBe(1)
    expect(logLines(main)[1]).toMatch(
      /^SIGINT received: no new request is sent; a request in flight may finish/
    )
    const token = main.state.token!
    expect(sim.state.findByAccessToken(token)).toBeDefined()
    const result = await post(main)
    expect(result.exitCode).toBe(0)
    expect(sim.state.findByAccessToken(token)).toBeUndefined()
    assertNoLeak(main, secretsOf(main, { token }), { token: TOKEN_HOMES })
    assertNoLeak(result, secretsOf(main, { token }), { token: TOKEN_HOMES })
  }))
