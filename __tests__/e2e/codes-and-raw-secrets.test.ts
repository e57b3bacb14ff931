/**
 * What reaches the API is exactly what was meant (issue 10 §4), end to end through dist/main:
 * - a TOTP code the API refuses because a sibling job used it in the same window (the simulator's
 *   RFC 6238 reuse refusal) is retried once with the next window's code, each code masked first;
 * - a password with leading and trailing blanks reaches the API as given (core.getInput trims),
 *   and its raw form is masked;
 * - post shows the real API's `Token <id> expired at <time>` 401 as "expired", not "revoked".
 */
import { describe, expect, it } from '@jest/globals'
import { totp } from '../../src/client/index.js'
import { clockEnv } from '../hardening/support/job.js'
import { startFront } from '../hardening/support/loopback.js'
import { assertNoLeak, DEMO, messages, runStep, TOKEN_HOMES, withSimulator } from './harness.js'

const WINDOW_MS = 30_000

describe('TOTP: two matrix legs minting with one secret in the same 30 s window', () => {
  it("the second leg is refused the used code, retries with the next window's, and both mint", () =>
    // Both legs run 2 s into a window (the step's clock and the simulator's moved alike): the
    // same code, unless two child processes take 28 s.
    withSimulator({ refuseReusedOtp: true }, async sim => {
      const now = Date.now()
      const placed = Math.floor(now / WINDOW_MS) * WINDOW_MS + WINDOW_MS + 2_000
      const offset = placed - now
      sim.state.clock.set(Date.now() + offset)
      const inputs = {
        username: DEMO.twoFactorUser,
        password: DEMO.twoFactorPassword,
        'totp-secret': DEMO.totpSecret,
        'api-url': sim.url
      }
      const first = await runStep({ step: 'main', inputs, env: clockEnv(offset) })
      const second = await runStep({
        step: 'main',
        inputs: { ...inputs, name: 'leg-2' },
        env: clockEnv(offset),
        debug: true
      })
      expect([first.exitCode, second.exitCode]).toEqual([0, 0])
      const creates = sim.state
        .requests()
        .filter(r => r.route === 'POST /tokens')
        .map(r => r.status)
      expect(creates).toEqual([200, 400, 200])
      const codes = [totp(DEMO.totpSecret, placed), totp(DEMO.totpSecret, placed + WINDOW_MS)]
      // Both codes the second leg sent were masked before they went out.
      for (const code of codes) expect(messages(second, 'add-mask')).toContain(code)
      assertNoLeak(
        second,
        { token: second.outputs.token, password: DEMO.twoFactorPassword, code0: codes[0], code1: codes[1] },
        { token: TOKEN_HOMES }
      )
    }))
})

describe('a password with blanks around it', () => {
  it('reaches the API as given, and the raw form is masked', () =>
    withSimulator({ users: [{ email: 'blank@example.com', password: '  spaced pass\t' }] }, async sim => {
      const main = await runStep({
        step: 'main',
        debug: true,
        inputs: { username: 'blank@example.com', password: '  spaced pass\t', 'api-url': sim.url }
      })
      expect(messages(main, 'error')).toEqual([])
      expect(main.exitCode).toBe(0)
      expect(messages(main, 'add-mask')).toEqual(expect.arrayContaining(['  spaced pass\t', 'spaced pass']))
      assertNoLeak(main, { token: main.outputs.token, password: '  spaced pass\t' }, { token: TOKEN_HOMES })
    }))
})

describe('post and an expired token', () => {
  it("shows the real API's `Token <id> expired at <time>` as expired", () =>
    withSimulator({}, async sim => {
      const main = await runStep({
        step: 'main',
        inputs: { username: DEMO.user, password: DEMO.password, 'api-url': sim.url }
      })
      const id = main.outputs['token-id']!
      const message = `Token ${id} expired at 2019-05-01T09:00:00Z`
      const front = await startFront(sim.url, {
        'DELETE /tokens/self': { status: 401, body: JSON.stringify({ msg: message }) }
      })
      try {
        const post = await runStep({
          step: 'post',
          inputs: { 'api-url': front.url },
          state: { ...main.state, 'api-url': front.url }
        })
        expect(post.exitCode).toBe(0)
        expect(messages(post, 'warning')).toEqual([])
        expect(post.log).toContain(
          `Token ${id} had already expired (HTTP 401: ${message}); nothing to revoke`
        )
      } finally {
        await front.close()
      }
    }))
})
