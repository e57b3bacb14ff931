/** runSimulatorCli, the logic behind the `fastly-token-simulator` command (bin.ts only wires the process). */
import { describe, expect, it } from '@jest/globals'
import type { CliIo, Simulator } from '../../src/simulator/index.js'
import { runSimulatorCli } from '../../src/simulator/index.js'
import { call } from './helpers.js'

interface Harness {
  io: CliIo
  out: string[]
  err: string[]
  stop(): void
  ready: Promise<Simulator>
}

function harness(): Harness {
  const out: string[] = []
  const err: string[] = []
  let stop!: () => void
  let onReady!: (sim: Simulator) => void
  const ready = new Promise<Simulator>(resolve => (onReady = resolve))
  const stopSignal = new Promise<void>(resolve => (stop = resolve))
  return {
    io: { stdout: text => out.push(text), stderr: text => err.push(text), stopSignal, onReady },
    out,
    err,
    stop,
    ready
  }
}

describe('fastly-token-simulator', () => {
  it('prints its URL, the demo credentials and a working demo token, and stops on the signal', async () => {
    const h = harness()
    const exit = runSimulatorCli(['--port', '0', '--write-limit', '2', '--bulk-policy', 'skip-unknown'], h.io)
    const sim = await h.ready
    const banner = h.out.join('')
    expect(banner).toContain(`listening on ${sim.url}`)
    for (const text of [
      'demo@example.com',
      'demo-password',
      'admin@example.com',
      'admin-password',
      '2fa@example.com',
      'JBSWY3DPEHPK3PXP'
    ]) {
      expect(banner).toContain(text)
    }
    const token = /Demo token for demo@example.com: (\S+)/.exec(banner)![1]!
    const self = await call(sim, 'GET', '/tokens/self', { key: token })
    expect(self.status).toBe(200)
    expect(self.json()).toMatchObject({ name: 'simulator demo token' })
    // The flags reached the simulator.
    expect(sim.state.settings.bulkPolicy).toBe('skip-unknown')
    await call(sim, 'DELETE', '/tokens/unknownTokenId00000000', { key: token })
    await call(sim, 'DELETE', '/tokens/unknownTokenId00000000', { key: token })
    expect((await call(sim, 'DELETE', '/tokens/self', { key: token })).status).toBe(429)

    h.stop()
    expect(await exit).toBe(0)
    expect(h.out.join('')).toContain('stopped')
    await expect(call(sim, 'GET', '/tokens/self', { key: token })).rejects.toThrow()
  })

  it('prints one line per request with --log', async () => {
    const h = harness()
    const exit = runSimulatorCli(
      ['--port', '0', '--log', '--seed', '7', '--two-factor-shape', 'nested'],
      h.io
    )
    const sim = await h.ready
    await call(sim, 'GET', '/nowhere')
    h.stop()
    expect(await exit).toBe(0)
    expect(h.out.join('')).toMatch(/GET \/nowhere -> 404/)
    expect(sim.state.seed).toBe(7)
    expect(sim.state.settings.twoFactorShape).toBe('nested')
  })

  it.each([
    [['--port', 'eighty'], /--port: expected an integer/],
    [['--bulk-policy', 'some'], /--bulk-policy: expected all-or-nothing or skip-unknown/],
    [['--read-only-self-revoke', 'yes'], /--read-only-self-revoke: expected true or false/],
    [['--max-bulk-ids', '0'], /--max-bulk-ids/],
    [['--frobnicate'], /Unknown option '--frobnicate'/]
  ])('refuses %p with exit code 2 and the usage', async (argv, message) => {
    const h = harness()
    expect(await runSimulatorCli(argv, h.io)).toBe(2)
    expect(h.err.join('')).toMatch(message)
    expect(h.err.join('')).toContain('Usage: fastly-token-simulator')
  })

  it('prints the usage for --help', async () => {
    const h = harness()
    expect(await runSimulatorCli(['--help'], h.io)).toBe(0)
    expect(h.out.join('')).toContain('--max-bulk-ids')
  })

  it('exits 1 with a message when the port is taken', async () => {
    const first = harness()
    const running = runSimulatorCli(['--port', '0'], first.io)
    const sim = await first.ready
    const second = harness()
    expect(await runSimulatorCli(['--port', String(sim.port)], second.io)).toBe(1)
    expect(second.err.join('')).toMatch(/cannot start: .*EADDRINUSE/)
    first.stop()
    await running
  })
})
