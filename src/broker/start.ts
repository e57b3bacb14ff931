/** startBroker: config and credential checked, parts wired, the server listening. */
import type { AddressInfo } from 'node:net'
import { EnvHttpProxyAgent } from 'undici'
import { FastlyTokensClient } from '../client/client.js'
import type { AuditSink } from './audit.js'
import { checkedConfig, loadConfigFile, parseConfigText } from './config-file.js'
import { ConfigError, type BrokerConfig } from './config.js'
import { readCredential } from './credentials.js'
import { FastlyMinter } from './fastly-mint.js'
import { createBrokerServer } from './http-server.js'
import { IdTokenVerifier } from './id-token.js'
import { IssuerKeys } from './issuer-keys.js'
import { BrokerMetrics } from './metrics.js'
import { FastlyBudget, RepositoryLimiter } from './rate-limits.js'
import { ReplayCache } from './replay-cache.js'
import { TokenExchange, type LateMint } from './token-exchange.js'

export interface BrokerOptions {
  /** A YAML (or JSON) file. */
  configFile?: string
  /** The config itself: an object shaped like the YAML, or YAML text. */
  config?: unknown
  /** Default 127.0.0.1. */
  host?: string
  /** Default 0 (a free port). */
  port?: number
  /** Where FASTLY_BROKER_USERNAME/_PASSWORD/_TOTP_SECRET and the proxy variables are read. Default process.env. */
  env?: Record<string, string | undefined>
  /** Receives each audit line (without newline). Default: stdout, one line each. */
  audit?: AuditSink
  /** The clock (epoch ms) for verification, limits and expiry. Default Date.now. */
  now?: () => number
}

export interface Broker {
  /** `http://HOST:PORT`. */
  readonly url: string
  readonly host: string
  readonly port: number
  readonly config: BrokerConfig
  readonly metrics: BrokerMetrics
  /** Stops accepting, lets requests in flight finish (revocations of undelivered tokens too), then closes. */
  close(): Promise<void>
}

async function resolveConfig(options: BrokerOptions): Promise<BrokerConfig> {
  if (options.configFile !== undefined && options.config !== undefined) {
    throw new ConfigError('startBroker: give configFile or config, not both')
  }
  if (options.configFile !== undefined) return loadConfigFile(options.configFile)
  if (typeof options.config === 'string') return parseConfigText(options.config, 'config')
  if (options.config !== undefined) return checkedConfig(options.config, 'config')
  throw new ConfigError('startBroker: a configFile or a config is needed')
}

function proxyAgent(env: Record<string, string | undefined>): EnvHttpProxyAgent {
  return new EnvHttpProxyAgent({
    httpProxy: env.http_proxy ?? env.HTTP_PROXY ?? '',
    httpsProxy: env.https_proxy ?? env.HTTPS_PROXY ?? '',
    noProxy: env.no_proxy ?? env.NO_PROXY ?? ''
  })
}

export async function startBroker(options: BrokerOptions = {}): Promise<Broker> {
  const env = options.env ?? process.env
  const config = await resolveConfig(options)
  const credential = readCredential(env)
  const now = options.now ?? Date.now
  const audit = options.audit ?? ((line: string) => void process.stdout.write(`${line}\n`))
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`port: expected an integer from 0 to 65535, got ${String(port)}`)
  }

  // One dispatcher for everything the broker asks: the issuer's keys and Fastly.
  const dispatcher = proxyAgent(env)
  const metrics = new BrokerMetrics()
  const budget = new FastlyBudget(config.rateLimit.fastlyReserve)
  metrics.budget = () => budget.state
  const client = new FastlyTokensClient({
    baseUrl: config.fastlyApiUrl,
    dispatcher,
    env: {},
    userAgent: 'fastly-token-broker',
    retry: { now }
  })
  const minter = new FastlyMinter(client, credential, budget)
  const keys = new IssuerKeys({
    issuer: config.issuer,
    dispatcher,
    now,
    onFetch: () => void metrics.jwksFetches++
  })
  const verifier = new IdTokenVerifier({ issuer: config.issuer, audience: config.audience, keys, now })
  const replay = new ReplayCache()
  // Work that outlives a request (revoking a token Fastly sent late): close() waits for it.
  const background = new Set<Promise<unknown>>()
  const track = (work: Promise<unknown>) => {
    background.add(work)
    void work.finally(() => background.delete(work))
  }
  let revokeLate: (late: LateMint) => void = () => {}
  const exchange = new TokenExchange({
    config,
    verifier,
    replay,
    repositories: new RepositoryLimiter(config.rateLimit.perRepository, config.rateLimit.windowMs),
    budget,
    minter,
    now,
    onLateMint: late => revokeLate(late)
  })
  let draining = false
  const { server, revokeUndelivered } = createBrokerServer({
    limits: config.limits,
    exchange,
    minter,
    metrics,
    audit,
    now,
    draining: () => draining
  })
  revokeLate = ({ minting, grant, claims }) =>
    track(
      minting.then(
        token => revokeUndelivered(token, { grant, claims }),
        // A late failure: nothing arrived that could be revoked.
        () => undefined
      )
    )
  const inFlight = new Set<Promise<unknown>>()
  server.on('request', (_req, res) => {
    const done = new Promise(resolve => res.once('close', resolve))
    inFlight.add(done)
    void done.then(() => inFlight.delete(done))
  })

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    // Not listening (port taken, address not local): release the connections made so far.
    await dispatcher.close()
    throw error
  }
  const sweeper = setInterval(() => {
    replay.sweep(now())
  }, 10_000)
  sweeper.unref()

  const address = server.address() as AddressInfo
  const urlHost = address.address.includes(':') ? `[${address.address}]` : address.address
  let closing: Promise<void> | undefined
  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    config,
    metrics,
    close() {
      closing ??= (async () => {
        draining = true
        const closed = new Promise<void>(resolve => server.close(() => resolve()))
        server.closeIdleConnections()
        // Requests in flight finish (bounded by the request timeout and the revoke deadline).
        const bound = setTimeout(() => server.closeAllConnections(), config.limits.requestTimeoutMs + 20_000)
        await Promise.all([...inFlight])
        await Promise.all([...background])
        server.closeAllConnections()
        await closed
        clearTimeout(bound)
        clearInterval(sweeper)
        await client.close()
        await dispatcher.close()
      })()
      return closing
    }
  }
}
