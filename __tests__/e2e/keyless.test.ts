/**
 * Keyless, end to end over loopback (issue 9, the action): dist/main gets an ID token from the
 * tests' OIDC issuer through the runner's endpoint (ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN, as
 * @actions/core's getIDToken calls it), trades it at fastly-token-broker (its bin, a child process
 * with a YAML file) for a token the simulator mints; dist/post revokes it. The step's inputs and
 * environment hold no Fastly secret; the ID token and the token are masked before they could show,
 * and the token is gone at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { DEMO_BROKER_ENV, startBrokerProcess, type BrokerProcess } from '../support/broker-process.js'
import { startOidcIssuer, type OidcIssuer } from '../support/oidc-issuer.js'
import { assertNoLeak, messages, runStep, TOKEN_HOMES, type StepResult } from './harness.js'

let sim: Simulator
let issuer: OidcIssuer
let broker: BrokerProcess

/** The claims of the runner emulation's run (scripts/run-action.js): the policy matches them. */
const RUN_CLAIMS = {
  repository: 'octo-org/octo-repo',
  repository_owner: 'octo-org',
  ref: 'refs/heads/main',
  workflow: 'CI',
  run_id: '4242',
  run_attempt: '1',
  environment: 'production'
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 9 })
  issuer = await startOidcIssuer({ claims: RUN_CLAIMS })
  broker = await startBrokerProcess({
    config: {
      issuer: issuer.url,
      fastly: { 'api-url': sim.url },
      policies: [
        {
          name: 'octo-deploy',
          claims: { repository: 'octo-org/octo-repo', ref: 'refs/heads/main' },
          scope: ['global', 'purge_select'],
          'max-expires-in': '1h'
        }
      ]
    },
    env: DEMO_BROKER_ENV
  })
}, 60_000)

afterAll(async () => {
  await broker?.stop()
  await Promise.all([issuer?.close(), sim?.close()])
})

function lineIndex(step: StepResult, test: (raw: string) => boolean): number {
  return step.commands.findIndex(c => test(c.raw))
}

describe.each([false, true])('keyless: broker-url instead of a Fastly secret (step debug %s)', debug => {
  it('mints through the broker, hands the token over like a password mint, and post revokes it', async () => {
    const inputs = {
      'broker-url': broker.url,
      'api-url': sim.url,
      scope: 'purge_select',
      'expires-in': '15m'
    }
    const env = issuer.runner.env()
    // Nothing the step is given is a Fastly secret: no password, no api-token, no broker credential.
    for (const name of ['password', 'api-token', 'username', 'otp', 'totp-secret'])
      expect(Object.keys(inputs)).not.toContain(name)
    expect(Object.values(env).join(' ')).not.toContain(DEMO_BROKER_ENV.FASTLY_BROKER_PASSWORD)

    const issuedBefore = issuer.runner.issued.length
    const main = await runStep({ step: 'main', inputs, env, debug })
    expect({ exit: main.exitCode, errors: messages(main, 'error') }).toEqual({ exit: 0, errors: [] })
    const idToken = issuer.runner.issued[issuedBefore]!
    expect(issuer.runner.issued).toHaveLength(issuedBefore + 1)
    const token = main.outputs.token!
    const id = main.outputs['token-id']!
    const minted = sim.state.token(id)
    expect(minted?.name).toBe('gha/octo-org/octo-repo/run-4242-1/CI')
    expect(minted?.scopes).toEqual(['purge_select'])
    expect(main.env.FASTLY_API_TOKEN).toBe(token)
    expect(main.state.token).toBe(token)
    expect(main.log).toContain(`The broker's policy "octo-deploy" allowed token ${id}`)
    expect(main.log).toContain(`Verified with GET /tokens/self: scope purge_select`)
    // The mask order: the ID token is masked before the token is asked for, the token before any line
    // that follows the broker's answer.
    const idMask = lineIndex(main, raw => raw === `::add-mask::${idToken}`)
    const tokenMask = lineIndex(main, raw => raw === `::add-mask::${token}`)
    const granted = lineIndex(main, raw => raw.startsWith(`The broker's policy`))
    expect(idMask).toBeGreaterThanOrEqual(0)
    expect(idMask).toBeLessThan(tokenMask)
    expect(tokenMask).toBeLessThan(granted)
    assertNoLeak(
      main,
      { token, idToken, brokerPassword: DEMO_BROKER_ENV.FASTLY_BROKER_PASSWORD },
      { token: TOKEN_HOMES }
    )
    // The broker's audit says who got it, and holds neither the ID token nor the token.
    const audit = broker.audit().find(a => a['token_id'] === id)
    expect(audit).toMatchObject({ repository: 'octo-org/octo-repo', policy: 'octo-deploy' })
    expect(JSON.stringify(broker.audit())).not.toContain(token)
    expect(JSON.stringify(broker.audit())).not.toContain(idToken)

    const post = await runStep({ step: 'post', inputs, state: main.state, debug })
    expect(post.exitCode).toBe(0)
    expect(post.log).toContain(`Revoked token ${id} (DELETE /tokens/self with the token itself)`)
    expect(sim.state.token(id)).toBeUndefined()
    assertNoLeak(post, { token, idToken }, { token: TOKEN_HOMES })
  })
})

describe('keyless: what goes wrong says so in one line', () => {
  it('without `permissions: id-token: write` (no ACTIONS_ID_TOKEN_REQUEST_URL): one clear error, no request', async () => {
    const before = sim.state.requests().length
    const audited = broker.audit().length
    const main = await runStep({ step: 'main', inputs: { 'broker-url': broker.url, 'api-url': sim.url } })
    expect(main.exitCode).toBe(1)
    expect(messages(main, 'error')).toEqual([
      expect.stringMatching(
        /ACTIONS_ID_TOKEN_REQUEST_URL is not set: give the job `permissions: id-token: write`/
      )
    ])
    expect(sim.state.requests()).toHaveLength(before)
    expect(broker.audit()).toHaveLength(audited)
  })

  it('a request beyond the policy (scope global:read is not granted): the broker refusal, nothing minted', async () => {
    const before = sim.state.tokens().length
    const main = await runStep({
      step: 'main',
      inputs: { 'broker-url': broker.url, 'api-url': sim.url, scope: 'global:read' },
      env: issuer.runner.env()
    })
    expect(main.exitCode).toBe(1)
    expect(messages(main, 'error')).toEqual([
      expect.stringMatching(/^The broker gave no token: broker answered 403/)
    ])
    expect(messages(main, 'warning')).toEqual([])
    expect(sim.state.tokens()).toHaveLength(before)
    expect(main.state.token ?? '').toBe('')
  })

  it.each([
    ['password', { password: 'demo-password' }],
    ['api-token', { 'api-token': 'some-token-value-0123456789' }]
  ])('broker-url with %s: a conflict named before any request', async (_name, extra) => {
    const before = sim.state.requests().length
    const main = await runStep({
      step: 'main',
      inputs: { 'broker-url': broker.url, 'api-url': sim.url, ...extra },
      env: issuer.runner.env()
    })
    expect(main.exitCode).toBe(1)
    expect(messages(main, 'error')[0]).toMatch(
      new RegExp(`input "${_name}": not used with broker-url: the broker mints the token`)
    )
    expect(messages(main, 'error')[0]).toMatch(/No request was sent\.$/)
    expect(sim.state.requests()).toHaveLength(before)
  })

  it('broker-url over plain http to another host is refused like api-url', async () => {
    const main = await runStep({
      step: 'main',
      inputs: { 'broker-url': 'http://broker.example.com', 'api-url': sim.url },
      env: issuer.runner.env()
    })
    expect(main.exitCode).toBe(1)
    expect(messages(main, 'error')[0]).toMatch(/input "broker-url": http is allowed only for loopback hosts/)
  })
})
