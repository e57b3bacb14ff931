/**
 * The issuer's keys as the broker fetches them: a discovery document that names another issuer,
 * keys on another origin, or an issuer that does not answer is a 503 issuer_unavailable (nothing
 * about the token is known, so it is not the caller's 401), and nothing is minted. The stand-in
 * issuer serves the real keys, so without the checks its tokens would verify. Once keys are
 * cached, an issuer outage does not stop verification.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { startBroker, type Broker } from '../../src/broker/index.js'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { json, startScriptedServer, type ScriptedServer } from '../http/scripted-server.js'
import { DEMO_BROKER_ENV } from '../support/broker-process.js'
import { startOidcIssuer, type OidcIssuer } from '../support/oidc-issuer.js'
import { testPolicies } from './world.js'

const opened: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close()
})

async function parts(): Promise<{ issuer: OidcIssuer; sim: Simulator }> {
  const issuer = await startOidcIssuer()
  const sim = await startSimulator({ seed: 3 })
  opened.push(issuer, sim)
  return { issuer, sim }
}

async function brokerFor(issuerUrl: string, sim: Simulator): Promise<Broker> {
  const broker = await startBroker({
    config: { issuer: issuerUrl, fastly: { 'api-url': sim.url }, policies: testPolicies() },
    env: DEMO_BROKER_ENV,
    audit: () => {}
  })
  opened.push(broker)
  return broker
}

async function post(broker: Broker, idToken: string) {
  const res = await fetch(`${broker.url}/v1/token`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${idToken}`, 'Content-Type': 'application/json' },
    body: '{}'
  })
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    json: (await res.json()) as { error: string }
  }
}

type Discovery = (self: string, real: string) => unknown

/** A stand-in issuer whose discovery document is `discovery(its url, the real issuer's url)` and
 *  whose JWKS holds the real issuer's keys. */
async function fakeIssuer(discovery: Discovery, real: OidcIssuer): Promise<ScriptedServer> {
  const keys = await (await fetch(`${real.url}/.well-known/jwks`)).json()
  let self = ''
  const server = await startScriptedServer(req => {
    if (req.url === '/.well-known/openid-configuration') return json(200, discovery(self, real.url))
    if (req.url === '/.well-known/jwks') return json(200, keys)
    return json(404, {})
  })
  self = server.url
  opened.push(server)
  return server
}

describe("fetching the issuer's keys", () => {
  it.each<[string, Discovery]>([
    ['names another issuer', self => ({ issuer: `${self}/other`, jwks_uri: `${self}/.well-known/jwks` })],
    [
      'puts the keys on another origin',
      (self, real) => ({ issuer: self, jwks_uri: `${real}/.well-known/jwks` })
    ],
    ['has no jwks_uri', self => ({ issuer: self })]
  ])('refuses a discovery document that %s with 503 issuer_unavailable', async (_name, discovery) => {
    const { issuer, sim } = await parts()
    const fake = await fakeIssuer(discovery, issuer)
    const broker = await brokerFor(fake.url, sim)
    const answer = await post(broker, await issuer.idToken({ iss: fake.url }))
    expect(answer.status).toBe(503)
    expect(answer.json.error).toBe('issuer_unavailable')
    expect(Number(answer.retryAfter)).toBeGreaterThan(0)
    expect(sim.state.tokens()).toHaveLength(0)
  })

  it('accepts the stand-in when its discovery document is right (so the refusals above are the checks)', async () => {
    const { issuer, sim } = await parts()
    const fake = await fakeIssuer(self => ({ issuer: self, jwks_uri: `${self}/.well-known/jwks` }), issuer)
    const broker = await brokerFor(fake.url, sim)
    expect((await post(broker, await issuer.idToken({ iss: fake.url }))).status).toBe(200)
  })

  it('answers 503 while the issuer is down, and keeps verifying with cached keys once it has them', async () => {
    const { issuer, sim } = await parts()
    const broker = await brokerFor(issuer.url, sim)
    expect((await post(broker, await issuer.idToken())).status).toBe(200)
    const token = await issuer.idToken()
    await issuer.close()
    opened.splice(opened.indexOf(issuer), 1)
    expect((await post(broker, token)).status).toBe(200)

    const cold = await brokerFor('http://127.0.0.1:9', sim)
    const answer = await post(cold, token)
    expect(answer.status).toBe(503)
    expect(answer.json.error).toBe('issuer_unavailable')
  })
})
