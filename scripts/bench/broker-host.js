/**
 * A child process that hosts the broker (and the benchmark's issuer) for scenario 5, so the broker
 * has a process of its own like the simulator: `{ id, op, args }` in over IPC, `{ id, ok, value |
 * error }` out, as sim-host.js.
 */
import { startBroker } from '../../lib/broker/index.js'
import { BENCH_REPOSITORY, startBenchIssuer } from './bench-issuer.js'

let issuer
let broker

const ops = {
  async start({ simUrl }) {
    await ops.close()
    issuer = await startBenchIssuer()
    broker = await startBroker({
      config: {
        issuer: issuer.url,
        fastly: { 'api-url': simUrl },
        policies: [{ name: 'bench', claims: { repository: BENCH_REPOSITORY }, scope: ['global'] }],
        // The benchmark measures the mint path, not the limits in front of it.
        'rate-limit': { 'per-repository': 1_000_000_000 },
        limits: { 'max-concurrent': 1024 }
      },
      env: { FASTLY_BROKER_USERNAME: 'demo@example.com', FASTLY_BROKER_PASSWORD: 'demo-password' },
      audit: () => {}
    })
    return { brokerUrl: broker.url }
  },
  sign({ count }) {
    return issuer.sign(count)
  },
  cpu() {
    const { user, system } = process.cpuUsage()
    return user + system
  },
  async close() {
    await broker?.close()
    await issuer?.close()
    broker = issuer = undefined
    return true
  }
}

process.on('message', async ({ id, op, args }) => {
  try {
    process.send({ id, ok: true, value: await ops[op](args) })
  } catch (error) {
    process.send({ id, ok: false, error: error instanceof Error ? error.message : String(error) })
  }
})
process.on('disconnect', () => {
  void ops.close().then(() => process.exit(0))
})
