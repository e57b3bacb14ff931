/**
 * Issue 11 at 3 a.m., with `fastly-tokens` as a child process: a wrong endpoint, Ctrl-C in the
 * middle of a run, and 300 leaked values, each with its exit code, report and left-file.
 */
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { DEMO_CUSTOMER_ID } from '../../src/simulator/demo.js'
import { startImpostor, type Impostor } from '../revoke/impostor.js'
import { startCli } from './child.js'
import { runChild } from './harness.js'

const DEMO = 'demo@example.com'
/** Child processes start slowly on a loaded 2-core machine: a bound, not a timed assertion. */
const CHILD_TIMEOUT_MS = 120_000
const ADMIN = 'admin@example.com'
jest.setTimeout(CHILD_TIMEOUT_MS)
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fastly-tokens-child-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function withSim<T>(options: Parameters<typeof startSimulator>[0], fn: (sim: Simulator) => Promise<T>) {
  const sim = await startSimulator({ seed: 11, ...options })
  try {
    return await fn(sim)
  } finally {
    await sim.close()
  }
}

const VALUES = ['QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7J', 'X-srxc_zLpchro9ngNBVgyofN_jqQFJ2']

describe('an endpoint answering 404 HTML to everything', () => {
  let impostor: Impostor
  beforeAll(async () => {
    impostor = await startImpostor('html-404')
  })
  afterAll(async () => {
    await impostor.close()
  })

  it('stops revoke by id, and by value with and without an admin token: exit 3, one clear line, nothing gone', async () => {
    const token = 'responderToken_0000000000000000'
    const runs = [
      { argv: ['revoke', '--id', 'a'.repeat(22)], env: { FASTLY_API_TOKEN: token } },
      { argv: ['revoke', '--value', '-'], env: { FASTLY_API_TOKEN: token }, stdin: VALUES.join('\n') },
      { argv: ['revoke', '--value', '-'], env: {}, stdin: VALUES.join('\n') }
    ]
    const results = await Promise.all(
      runs.map(r =>
        runChild(r.argv, { env: { ...r.env, FASTLY_API_ENDPOINT: impostor.url }, stdin: r.stdin })
      )
    )
    for (const r of results) {
      expect(r.code).toBe(3)
      const errors = r.stderr.split('\n').filter(line => line.startsWith('error: '))
      expect(errors).toHaveLength(1)
      expect(errors[0]).toContain('does not answer as the Fastly API')
      expect(r.stdout).not.toMatch(/already-gone|not found|revoked/)
      for (const v of VALUES) expect(r.stdout + r.stderr).not.toContain(v)
    }
    expect(impostor.seen.filter(s => !s.startsWith('GET '))).toEqual([])
  })
})

describe('Ctrl-C in the middle of a run', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`(${signal} while waiting for the write budget) writes the report and the left-file and exits 5`, async () => {
      // Three writes: 30 refused, 15 refused, 7 accepted (the cap learned); then the budget is spent.
      await withSim({ writeLimitPerHour: 3, maxBulkIds: 10 }, async sim => {
        const caller = sim.state.addToken({ user: DEMO, name: 'responder', scope: 'global' })
        const ids = sim.state.addTokens(30, { user: DEMO }).map(t => t.id)
        const left = join(dir, `left-${signal}.txt`)
        const run = startCli(['revoke', '--progress', '--ids-file', '-', '--left-file', left], {
          env: { FASTLY_API_TOKEN: caller.access_token, FASTLY_API_ENDPOINT: sim.url },
          stdin: ids.join('\n')
        })
        await run.waitForStderr(/write budget spent: \d+ waits? until/)
        run.child.kill(signal)
        const { code } = await run.exit
        expect(code).toBe(5)
        expect(run.stderr()).toContain(`${signal}: stopping`)
        const lines = (await readFile(left, 'utf8')).trim().split('\n')
        const leftIds = lines.filter(l => !l.startsWith('#'))
        expect(lines).toContain('# bulk-cap: 7')
        // Every id not revoked is in the file, and each one in the file is still live.
        const revoked = ids.filter(id => sim.state.token(id) === undefined)
        expect(revoked.length + leftIds.length).toBe(30)
        expect(leftIds.every(id => sim.state.token(id) !== undefined)).toBe(true)
        expect(revoked).toHaveLength(7)
        expect(run.stdout()).toMatch(/7 revoked \(7 verified\).*, 23 left/)
        // The last progress line counts what is left, not only what was settled.
        expect(run.stderr()).toMatch(
          /revoking: 30\/30 settled, \d+ revoked, 0 not revoked, \d+ write requests?, \d+ left/
        )
      })
    })
  }

  it('(SIGINT while leaked values wait for their owner’s budget) leaves positions, never values, and exits 5', async () => {
    await withSim({}, async sim => {
      sim.state.addUser({
        email: 'owner@example.com',
        password: 'pw',
        customerId: DEMO_CUSTOMER_ID,
        writeLimitPerHour: 1
      })
      const tokens = sim.state.addTokens(3, { user: 'owner@example.com', name: 'leaked' })
      const left = join(dir, 'left-values.txt')
      const run = startCli(['revoke', '--progress', '--value', '-', '--left-file', left], {
        env: { FASTLY_API_ENDPOINT: sim.url },
        stdin: tokens.map(t => t.access_token).join('\n')
      })
      await run.waitForStderr(/write budget spent/)
      run.child.kill('SIGINT')
      const { code } = await run.exit
      expect(code).toBe(5)
      const text = await readFile(left, 'utf8')
      for (const t of tokens) expect(text + run.stdout() + run.stderr()).not.toContain(t.access_token)
      const positions = text
        .split('\n')
        .filter(l => /^\d+$/.test(l))
        .map(Number)
      expect(positions.length).toBeGreaterThanOrEqual(1)
      for (const p of positions) expect(sim.state.token(tokens[p - 1]!.id)).toBeDefined()
      expect(run.stderr()).toContain(`--positions ${left}`)
    })
  })
})

describe('300 leaked values of 10 owners with an admin token', () => {
  it('are revoked in a handful of writes, exit 0, values never printed', async () => {
    await withSim({ maxBulkIds: 500 }, async sim => {
      const admin = sim.state.addToken({ user: ADMIN, name: 'responder', scope: 'global' })
      const tokens = []
      for (let i = 0; i < 10; i++) {
        const email = `owner${i}@example.com`
        sim.state.addUser({ email, password: 'pw', customerId: DEMO_CUSTOMER_ID })
        tokens.push(...sim.state.addTokens(30, { user: email, name: `leaked-${i}` }))
      }
      const r = await runChild(['revoke', '--value', '-', '--customer-id', DEMO_CUSTOMER_ID], {
        env: { FASTLY_API_TOKEN: admin.access_token, FASTLY_API_ENDPOINT: sim.url },
        stdin: tokens.map(t => `"${t.access_token}",`).join('\n')
      })
      expect(r.code).toBe(0)
      const writes = sim.state.requests().filter(e => e.method !== 'GET').length
      expect(writes).toBeLessThanOrEqual(Math.ceil(300 / 500) + 2)
      expect(tokens.filter(t => sim.state.token(t.id) !== undefined)).toEqual([])
      expect(r.stdout).toContain(`${writes} write and`)
      for (const t of tokens) expect(r.stdout + r.stderr).not.toContain(t.access_token)
    })
  })
})
