/**
 * A TOTP code the API refuses after it was sent (issue 10 §4): RFC 6238 5.2 lets a verifier refuse
 * a code already used in its window, which is what two matrix jobs minting with one secret in the
 * same 30 s cause. With `totpSecret` the client tries once more with the next window's code
 * (nothing was minted, so it is safe), within the deadline; a wrong secret still fails, after two
 * tries, not forever. Against the simulator with its reuse refusal on, on one fixed clock.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { FastlyTokensClient, totp, TwoFactorRequiredError } from '../../src/client/index.js'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { failure } from './harness.js'

const SECRET = 'JBSWY3DPEHPK3PXP'
const USER = { username: '2fa@example.com', password: '2fa-password' }
/** 10 s into a window: the first code and the next window's are both within the verifier's ±1. */
const T = Date.UTC(2026, 0, 1, 12, 0, 10)

const opened: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close()
})

async function sim(): Promise<Simulator> {
  const s = await startSimulator({ seed: 11, refuseReusedOtp: true, clock: { now: () => T } })
  opened.push(s)
  return s
}

function client(url: string): FastlyTokensClient {
  const c = new FastlyTokensClient({ baseUrl: url, env: {}, retry: { now: () => T, sleep: async () => {} } })
  opened.push(c)
  return c
}

function creates(s: Simulator): string[] {
  return s.state
    .requests()
    .filter(r => r.route === 'POST /tokens')
    .map(r => String(r.status))
}

describe('createToken with totpSecret when the code was already used', () => {
  it("a sibling job used this window's code: retried once with the next window's, and minted", async () => {
    const s = await sim()
    const first = await client(s.url).createToken({ ...USER, name: 'leg-1', totpSecret: SECRET })
    const codes: string[] = []
    const second = await client(s.url).createToken(
      { ...USER, name: 'leg-2', totpSecret: SECRET, onOneTimeCode: c => codes.push(c) },
      { deadline: T + 60_000 }
    )
    expect(first.id).not.toBe(second.id)
    expect(codes).toEqual([totp(SECRET, T), totp(SECRET, T + 30_000)])
    expect(creates(s)).toEqual(['200', '400', '200'])
    expect(
      s.state
        .tokens()
        .map(t => t.name)
        .sort()
    ).toEqual(['leg-1', 'leg-2'])
  })

  it('a wrong secret fails after the one retry, with the two-factor error', async () => {
    const s = await sim()
    const error = await failure(
      client(s.url).createToken({ ...USER, totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' })
    )
    expect(error).toBeInstanceOf(TwoFactorRequiredError)
    expect((error as TwoFactorRequiredError).otpWasSent).toBe(true)
    expect(creates(s)).toEqual(['400', '400'])
    expect(s.state.tokens()).toEqual([])
  })

  it('no retry once the deadline has passed', async () => {
    const s = await sim()
    await client(s.url).createToken({ ...USER, totpSecret: SECRET })
    // The second call's deadline is "now": the first attempt is refused as not sent, nothing more.
    const error = await failure(client(s.url).createToken({ ...USER, totpSecret: SECRET }, { deadline: T }))
    expect(error.message).toMatch(/deadline has passed/)
    expect(creates(s)).toEqual(['200'])
  })

  it('otp and totpSecret together are refused before any request', async () => {
    const s = await sim()
    await expect(client(s.url).createToken({ ...USER, otp: '123456', totpSecret: SECRET })).rejects.toThrow(
      'give otp or totpSecret, not both'
    )
    expect(creates(s)).toEqual([])
  })
})
