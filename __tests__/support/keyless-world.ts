/**
 * Everything a keyless step talks to, over loopback: the tests' OIDC issuer (with the runner's
 * ID-token endpoint), the simulator, and the broker's bin as a child process between them, with a
 * YAML config that trusts that issuer and mints on the simulator with its demo account. A step
 * gets `runnerEnv()` and `brokerUrl`, and no Fastly secret at all.
 */
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js'
import { startBrokerProcess, type BrokerProcess } from './broker-process.js'
import { startOidcIssuer, type OidcIssuer } from './oidc-issuer.js'

/** One policy for the issuer's default claims (repository acme/shop): every scope, up to 1 h. */
export const KEYLESS_POLICIES = [
  {
    name: 'acme-shop',
    claims: { repository: 'acme/shop' },
    scope: ['global', 'purge_select', 'purge_all', 'global:read'],
    'max-expires-in': '1h'
  }
]

export interface KeylessWorld {
  issuer: OidcIssuer
  sim: Simulator
  broker: BrokerProcess
  /** The broker's base URL, for the action's `broker-url`. */
  brokerUrl: string
  /** ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN, as the runner sets them. */
  runnerEnv(): Record<string, string>
  close(): Promise<void>
}

export async function startKeylessWorld(
  options: { policies?: unknown[]; config?: Record<string, unknown>; simulator?: SimulatorOptions } = {}
): Promise<KeylessWorld> {
  const issuer = await startOidcIssuer()
  const sim = await startSimulator({ seed: 21, ...options.simulator })
  let broker: BrokerProcess
  try {
    broker = await startBrokerProcess({
      config: {
        issuer: issuer.url,
        fastly: { 'api-url': sim.url },
        policies: options.policies ?? KEYLESS_POLICIES,
        ...options.config
      }
    })
  } catch (error) {
    await Promise.all([issuer.close(), sim.close()])
    throw error
  }
  return {
    issuer,
    sim,
    broker,
    brokerUrl: broker.url,
    runnerEnv: () => issuer.runner.env(),
    async close() {
      await broker.stop()
      await Promise.all([issuer.close(), sim.close()])
    }
  }
}
