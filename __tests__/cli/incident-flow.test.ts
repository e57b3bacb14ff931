/**
 * The revoke flow's honesty in-process (issue 11 §4, §5): the retry line on a terminal, costly
 * setup mistakes said at once, resumes that start at the learned cap, values resumed by position
 * and bounded by --max-time.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO_CUSTOMER_ID } from '../../src/simulator/demo.js'
import { CliWorld, DEMO } from './harness.js'

const ADMIN = 'admin@example.com'
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fastly-tokens-flow-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function withWorld(options: Parameters<typeof CliWorld.start>[0], fn: (w: CliWorld) => Promise<void>) {
  const w = await CliWorld.start(options)
  try {
    await fn(w)
  } finally {
    await w.close()
  }
}

const writes = (w: CliWorld) => w.sim.state.requests().filter(r => r.method !== 'GET')

describe('a server that does not answer at once', () => {
  it('gets a line per retry on a terminal, and none off one', async () => {
    await withWorld(
      { faults: [{ route: 'GET /tokens', kind: 'status5xx', status: 503, times: 1 }] },
      async w => {
        const id = w.sim.state.addToken({ user: DEMO }).id
        const tty = await w.run(['revoke', '--id', id], { tty: true })
        expect(tty.code).toBe(0)
        expect(tty.stderr).toContain('waiting for the API (GET /tokens), attempt 2/2')
      }
    )
    await withWorld(
      { faults: [{ route: 'GET /tokens', kind: 'status5xx', status: 503, times: 1 }] },
      async w => {
        const id = w.sim.state.addToken({ user: DEMO }).id
        const piped = await w.run(['revoke', '--id', id])
        expect(piped.code).toBe(0)
        expect(piped.stderr).not.toContain('waiting for the API')
      }
    )
  })
})

describe('every path ends', () => {
  it('list --max-time bounds a read the server never answers: exit 3, with the timeout said', async () => {
    await withWorld({ faults: [{ route: 'GET /tokens', kind: 'latency', ms: 20_000 }] }, async w => {
      const r = await w.run(['list', '--max-time', '1s'])
      expect(r.code).toBe(3)
      expect(r.stderr).toMatch(/error: .*GET \/tokens timed out after \d+ ms/)
    })
  })
})

describe('a budget wait', () => {
  it('is told off a terminal too, without --progress: when it ends and how many wait, one line per wait', async () => {
    await withWorld({ writeLimitPerHour: 1, maxBulkIds: 10 }, async w => {
      const ids = w.sim.state.addTokens(20, { user: DEMO }).map(t => t.id)
      const r = await w.run(['revoke', '--id', ids.join(','), '--chunk-size', '10'])
      expect(r.code).toBe(0)
      const lines = r.stderr.split('\n').filter(Boolean)
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(
        /write budget spent: 10 wait until 2030-01-15T13:00:01\.000Z \(in about 60 min\) for it to reset$/
      )
    })
  })
})

describe('costly setup mistakes', () => {
  it('no superuser with --customer-id: said at once, other users’ tokens forbidden without a write, exit 1', async () => {
    await withWorld({}, async w => {
      const foreign = w.sim.state.addTokens(300, { user: ADMIN }).map(t => t.id)
      const own = w.sim.state.addTokens(2, { user: DEMO }).map(t => t.id)
      const r = await w.run(['revoke', '--ids-file', '-', '--customer-id', DEMO_CUSTOMER_ID], {
        stdin: [...foreign, ...own].join('\n')
      })
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/note: the token list of customer \w+ was refused/)
      expect(r.stdout).toMatch(/2 revoked \(2 verified\), 0 not found, 300 forbidden/)
      expect(writes(w)).toHaveLength(1)
    })
  })

  it('a misspelled customer id: said at once, and the run still works from the own list', async () => {
    await withWorld({}, async w => {
      const own = w.sim.state.addTokens(2, { user: DEMO }).map(t => t.id)
      const r = await w.run(['revoke', '--id', own.join(','), '--customer-id', 'demoCustomer000000000O'])
      expect(r.code).toBe(0)
      expect(r.stderr).toContain('misspelled customer id')
    })
  })
})

describe('resuming', () => {
  it('from an ids left-file starts at the learned bulk cap: no write is spent learning it again', async () => {
    await withWorld({ writeLimitPerHour: 4, maxBulkIds: 10 }, async w => {
      const ids = w.sim.state.addTokens(40, { user: DEMO }).map(t => t.id)
      const left = join(dir, 'ids-left.txt')
      const first = await w.run(['revoke', '--id', ids.join(','), '--max-time', '1m', '--left-file', left])
      expect(first.code).toBe(5)
      expect(await readFile(left, 'utf8')).toMatch(/^# bulk-cap: \d+$/m)
      w.sim.state.clock.advance(3_600_000)
      const before = writes(w).length
      const second = await w.run(['revoke', '--ids-file', left])
      expect(second.code).toBe(0)
      const resumed = writes(w).slice(before)
      const leftCount = (await readFile(left, 'utf8')).split('\n').filter(l => /^\w{16,24}$/.test(l)).length
      const cap = Number(/^# bulk-cap: (\d+)$/m.exec(await readFile(left, 'utf8'))![1])
      expect(resumed).toHaveLength(Math.ceil(leftCount / cap))
      expect(resumed.every(r => r.status === 204)).toBe(true)
      expect(ids.some(id => w.alive(id))).toBe(false)
    })
  })

  it('values: --max-time bounds them, the left-file keeps positions, --positions finishes them', async () => {
    await withWorld({}, async w => {
      w.sim.state.addUser({
        email: 'o@example.com',
        password: 'pw',
        customerId: DEMO_CUSTOMER_ID,
        writeLimitPerHour: 2
      })
      const tokens = w.sim.state.addTokens(5, { user: 'o@example.com' })
      const stdin = tokens.map(t => `FASTLY_API_TOKEN=${t.access_token}`).join('\n')
      const left = join(dir, 'values-left.txt')
      const env = { FASTLY_API_TOKEN: undefined }
      const first = await w.run(['revoke', '--value', '-', '--max-time', '1m', '--left-file', left], {
        stdin,
        env
      })
      expect(first.code).toBe(5)
      const text = await readFile(left, 'utf8')
      for (const t of tokens) expect(text + first.stdout + first.stderr).not.toContain(t.access_token)
      const positions = text.split('\n').filter(l => /^\d+$/.test(l))
      expect(positions).toHaveLength(3)
      expect(first.stdout).toMatch(/#3\s+\S+\s+\S*\s*left\s+not sent: the write budget is spent until/)
      w.sim.state.clock.advance(3_600_000)
      const second = await w.run(['revoke', '--value', '-', '--positions', left], { stdin, env })
      expect(second.code).toBe(0)
      expect(second.stdout).toMatch(/#3\s/)
      expect(second.stdout).not.toMatch(/#1\s/)
      expect(tokens.filter(t => w.alive(t.id))).toEqual([])
    })
  })

  it('refuses --positions past the values given, without a request', async () => {
    await withWorld({}, async w => {
      const file = join(dir, 'positions.txt')
      await writeFile(file, '# values left\n7\n')
      const r = await w.run(['revoke', '--value', '-', '--positions', file], { stdin: 'a\nb\n' })
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('position 7 is past the 2 value(s)')
      expect(w.sim.state.requests()).toEqual([])
    })
  })
})
