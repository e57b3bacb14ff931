/** A broker between the tests' OIDC issuer and the simulator, in-process, with its audit lines kept. */
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { startBroker, type Broker } from '../../src/broker/index.js'
import { startOidcIssuer, type OidcIssuer } from '../support/oidc-issuer.js'
import { DEMO_BROKER_ENV } from '../support/broker-process.js'

export const SERVICE = 'SU1Z0isxPaozGVKXdv0eY'
export const OTHER_SERVICE = 'OtherService000000000'

export function testPolicies(): unknown[] {
  return [
    {
      name: 'deploy-production',
      claims: { repository: 'acme/shop', ref: 'refs/heads/main', environment: 'production' },
      scope: ['global', 'purge_select'],
      services: [SERVICE],
      'max-expires-in': '30m'
    },
    {
      name: 'shop-read',
      claims: { repository: 'acme/shop' },
      scope: 'global:read',
      'max-expires-in': '5m'
    },
    {
      name: 'preview',
      claims: { repository: 'acme/*', ref: 'refs/pull/*/merge', event_name: 'pull_request' },
      scope: ['purge_select'],
      'max-expires-in': '10m'
    }
  ]
}

export function brokerConfig(issuer: OidcIssuer, sim: Simulator, extra: Record<string, unknown> = {}) {
  return { issuer: issuer.url, fastly: { 'api-url': sim.url }, policies: testPolicies(), ...extra }
}

/** Polls `check` every 25 ms, up to 10 s: for events the test cannot await directly. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  throw new Error(`gave up waiting for ${what}`)
}

export class BrokerWorld {
  private constructor(
    readonly issuer: OidcIssuer,
    readonly sim: Simulator,
    readonly broker: Broker,
    /** The audit lines, as written. */
    readonly audit: string[],
    private readonly clock: { offset: number }
  ) {}

  /** Moves the broker's clock (not the issuer's) forward. */
  advance(ms: number): void {
    this.clock.offset += ms
  }

  static async start(
    extra: Record<string, unknown> = {},
    env: Record<string, string> = {}
  ): Promise<BrokerWorld> {
    const issuer = await startOidcIssuer()
    const sim = await startSimulator({ seed: 11 })
    const lines: string[] = []
    const clock = { offset: 0 }
    const broker = await startBroker({
      now: () => Date.now() + clock.offset,
      config: brokerConfig(issuer, sim, extra),
      env: { ...DEMO_BROKER_ENV, ...env },
      audit: line => lines.push(line)
    })
    return new BrokerWorld(issuer, sim, broker, lines, clock)
  }

  /** POST /v1/token with this bearer and body, answered as status, headers and parsed JSON. */
  async post(
    authorization: string | undefined,
    body: unknown = {}
  ): Promise<{
    status: number
    headers: Headers
    json: Record<string, unknown>
  }> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' }
    if (authorization !== undefined) headers.Authorization = authorization
    const res = await fetch(`${this.broker.url}/v1/token`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body)
    })
    return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> }
  }

  async mint(overrides: Record<string, unknown> = {}, body: unknown = {}) {
    return this.post(`Bearer ${await this.issuer.idToken(overrides)}`, body)
  }

  /** Tokens in the simulator other than seeded ones: what the broker minted and did not revoke. */
  liveTokens() {
    return this.sim.state.tokens()
  }

  /** POST /tokens requests the simulator received. */
  mintRequests() {
    return this.sim.state.requests().filter(r => r.method === 'POST' && r.path === '/tokens')
  }

  async close(): Promise<void> {
    await this.broker.close()
    await Promise.all([this.sim.close(), this.issuer.close()])
  }
}
