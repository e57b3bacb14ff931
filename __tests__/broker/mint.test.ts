/** The happy path through the broker: a verified ID token under a policy becomes a Fastly token. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { requestBrokerToken } from '../../src/broker/index.js'
import { BrokerWorld, SERVICE } from './world.js'

let world: BrokerWorld
beforeAll(async () => {
  world = await BrokerWorld.start()
})
afterAll(() => world.close())

describe('POST /v1/token', () => {
  it('mints with the policy defaults and names the token after the run', async () => {
    const answer = await world.mint({ run_id: '555', run_attempt: '2', workflow: 'Deploy site' })
    expect(answer.status).toBe(200)
    expect(answer.json).toMatchObject({
      name: 'gha/acme/shop/run-555-2/Deploy site',
      scope: 'global purge_select',
      services: [SERVICE],
      policy: 'deploy-production'
    })
    const live = world.sim.state.findByAccessToken(answer.json.access_token as string)
    expect(live?.id).toBe(answer.json.id)
    expect(live?.name).toBe('gha/acme/shop/run-555-2/Deploy site')
    const lifetime = Date.parse(answer.json.expires_at as string) - Date.now()
    expect(lifetime).toBeGreaterThan(29 * 60_000)
    expect(lifetime).toBeLessThanOrEqual(30 * 60_000)
  })

  it('grants a narrower request through requestBrokerToken', async () => {
    const token = await requestBrokerToken({
      brokerUrl: world.broker.url,
      idToken: await world.issuer.idToken(),
      scope: 'purge_select',
      expiresIn: 600
    })
    expect(token).toMatchObject({ scope: 'purge_select', services: [SERVICE], policy: 'deploy-production' })
    expect(world.sim.state.token(token.id)?.scope).toBe('purge_select')
  })

  it('writes one audit line per decision with the claims and the token id, and serves metrics and healthz', async () => {
    const before = world.audit.length
    const answer = await world.mint({ actor: 'alice', sha: 'b'.repeat(40) })
    const lines = world.audit.slice(before)
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      decision: 'allow',
      reason: 'minted',
      policy: 'deploy-production',
      repository: 'acme/shop',
      actor: 'alice',
      token_id: answer.json.id
    })
    const metrics = await (await fetch(`${world.broker.url}/metrics`)).text()
    expect(metrics).toMatch(/^fastly_broker_mints_total\{policy="deploy-production"\} \d+$/m)
    expect(metrics).toMatch(/^fastly_broker_fastly_ratelimit_remaining \d+$/m)
    expect((await fetch(`${world.broker.url}/healthz`)).status).toBe(200)
  })
})
