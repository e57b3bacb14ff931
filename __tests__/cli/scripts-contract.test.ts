/**
 * Issue 11 §6 and §7, "one contract for scripts" and "files people actually have", through the CLI
 * as users run it: pipes that close early, a terminal that must not echo a pasted secret, flags
 * given a secret by mistake, and id files in every accepted form, against the simulator.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { execFile, execFileSync, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { COMMANDS } from '../../src/cli/run.js'
import { malformedProblem } from '../../src/revoke/index.js'
import { GLOBAL_OPTIONS } from '../../src/cli/context.js'
import { CliWorld, DEMO, assertNoForgedLines, cliCommand } from './harness.js'

const SECRET = 'QoU3neoxQQ6IPL8g7e-kkCjyWcwdNI7J'
const run = promisify(execFile)

let w: CliWorld
let dir: string
beforeAll(async () => {
  w = await CliWorld.start({}, { realClock: true })
  dir = await mkdtemp(join(tmpdir(), 'fastly-tokens-contract-'))
})
afterAll(async () => {
  await w.close()
  await rm(dir, { recursive: true, force: true })
})

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`
}

describe('pipes', () => {
  it('`list | head -1` ends quietly with exit 0 when the reader stops early', async () => {
    // Enough tokens that the table outgrows a pipe's buffer, so the CLI writes after head exits.
    w.sim.state.addTokens(3000, { user: DEMO, name: 'padding-token-with-a-long-name' })
    const { file, args } = cliCommand(['list'])
    const line = `${[file, ...args].map(shellQuote).join(' ')} | head -1; echo "status=\${PIPESTATUS[0]}" >&2`
    // Asynchronously: the simulator answers from this process, so its event loop must keep running.
    const r = await run('bash', ['--norc', '--noprofile', '-c', line], {
      env: { PATH: process.env.PATH ?? '', FASTLY_API_TOKEN: w.apiToken, FASTLY_API_ENDPOINT: w.sim.url },
      encoding: 'utf8'
    })
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1)
    expect(r.stderr).toMatch(/^\d+ tokens\nstatus=0\n$/)
    assertNoForgedLines(r)
  })
})

/** Every flag that takes a value, by command, except those whose value is the secret on purpose. */
const MEANT_SECRET = new Set(['value', 'password', 'totp-secret'])
const VALUE_FLAGS = COMMANDS.flatMap(command =>
  Object.entries({ ...GLOBAL_OPTIONS, ...command.options })
    .filter(([name, o]) => o.type === 'string' && !MEANT_SECRET.has(name))
    .map(([name]) => [command.name, name] as const)
)

/** What each command needs besides the flag under test to get as far as reading it. */
const BASE: Record<string, string[]> = {
  create: ['--password', 'pw-not-the-secret'],
  list: [],
  revoke: ['--id', 'aaaaaaaaaaaaaaaaaaaaaa', '--dry-run'],
  audit: ['--name', 'no-such-*']
}

describe('a secret given to the wrong flag', () => {
  it.each(VALUE_FLAGS)('%s --%s never echoes it, in any wrapping', async (command, flag) => {
    for (const given of [SECRET, `"${SECRET}"`, `${SECRET},x`, `-${SECRET}`, `KEY=${SECRET}`]) {
      const args = flag === 'id' || flag === 'ids-file' ? [command] : [command, ...BASE[command]!]
      const r = await w.run([...args, `--${flag}=${given}`])
      const out = r.stdout + r.stderr
      expect({ given, flag, leaked: out.includes(SECRET.slice(4, 20)) }).toEqual({
        given,
        flag,
        leaked: false
      })
    }
  })

  it('nor as an unknown option or a stray argument', async () => {
    for (const args of [[`--${SECRET}`], [`-${SECRET}`], [SECRET], [`--valeu=${SECRET}`]]) {
      const r = await w.run(['revoke', ...args])
      expect(r.code).toBe(2)
      expect(r.stderr).not.toContain(SECRET.slice(4, 20))
    }
    expect((await w.run(['revoke', '--valeu', 'x'])).stderr).toContain('unknown option --valeu')
  })

  it('keeps the useful part of a parser error', async () => {
    const r = await w.run(['revoke', '--id', 'aaaaaaaaaaaaaaaaaaaaaa', '--max-time', 'soonish'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--max-time: the value given is not a duration like 15m')
  })
})

/** python3's pty module gives the CLI a real terminal; without python3 the case cannot run here. */
const PYTHON = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0

const PTY_DRIVER = `
import os, pty, sys, time, select
pid, fd = pty.fork()
if pid == 0:
    os.execve(sys.argv[1], sys.argv[1:], os.environ)
def drain(until):
    out = b''
    while True:
        r, _, _ = select.select([fd], [], [], until)
        if not r: return out
        try: chunk = os.read(fd, 65536)
        except OSError: return out
        if not chunk: return out
        out += chunk
        if b'not shown' in out and until > 0.5: return out
seen = drain(20)
os.write(fd, os.environ['TYPED'].encode())
seen += drain(0.3)
os.write(fd, b'\\r')
seen += drain(0.3)
os.write(fd, b'\\r')
while True:
    r, _, _ = select.select([fd], [], [], 30)
    if not r: break
    try: chunk = os.read(fd, 65536)
    except OSError: break
    if not chunk: break
    seen += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode('utf8', 'replace'))
sys.stdout.write('\\nEXIT=%d\\n' % os.waitstatus_to_exitcode(status))
`

describe('--value - on a terminal', () => {
  ;(PYTHON ? it : it.skip)(
    'reads the value without echo, like a password prompt, and revokes it',
    async () => {
      const leaked = w.sim.state.addToken({ user: DEMO, name: 'typed-at-a-terminal' })
      const driver = join(dir, 'pty-driver.py')
      await writeFile(driver, PTY_DRIVER)
      const { file, args } = cliCommand(['revoke', '--value', '-'])
      const { stdout: out } = await run('python3', [driver, file, ...args], {
        env: {
          PATH: process.env.PATH ?? '',
          FASTLY_API_ENDPOINT: w.sim.url,
          TYPED: leaked.access_token
        },
        encoding: 'utf8'
      })
      expect(out).toContain('not shown')
      expect(out).toContain('EXIT=0')
      expect(out).not.toContain(leaked.access_token.slice(0, 12))
      expect(w.alive(leaked.id)).toBe(false)
    }
  )
})

describe('id files', () => {
  it('accepts the CLI’s own audit --json piped in, so two audits concatenated are their union', async () => {
    const a = w.sim.state.addTokens(3, { user: DEMO, name: 'union-a' })
    const b = w.sim.state.addTokens(2, { user: DEMO, name: 'union-b' })
    const auditA = await w.child(['audit', '--name', 'union-a*', '--json'])
    const auditB = await w.child(['audit', '--name', 'union-b*', '--json'])
    expect([auditA.code, auditB.code]).toEqual([0, 0])
    const r = await w.child(['revoke', '--ids-file', '-', '--json'], {
      stdin: `# audit A\n${auditA.stdout}\n# audit B\n${auditB.stdout}`
    })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    for (const t of [...a, ...b]) expect(w.alive(t.id)).toBe(false)
    expect(
      JSON.parse(r.stdout)
        .outcomes.map((o: { id: string }) => o.id)
        .sort()
    ).toEqual([...a, ...b].map(t => t.id).sort())
  })

  it('reads comments, JSON arrays and {id} objects; repeats of --ids-file are one list', async () => {
    const [x, y, z] = w.sim.state.addTokens(3, { user: DEMO })
    const text = join(dir, 'ids.txt')
    const json = join(dir, 'ids.json')
    await writeFile(text, `# incident\n\n${x!.id}   # the CI one\n`)
    await writeFile(json, JSON.stringify([y!.id, { id: z!.id, name: 'x' }]))
    const r = await w.run(['revoke', '--ids-file', text, '--ids-file', json])
    expect(r.code).toBe(0)
    expect([x, y, z].some(t => w.alive(t!.id))).toBe(false)
  })

  it('refuses a FIFO and a device at once, and a file over the cap, with exit 2 before any request', async () => {
    const fifo = join(dir, 'ids.fifo')
    execFileSync('mkfifo', [fifo])
    const big = join(dir, 'big.log')
    await writeFile(big, Buffer.alloc(10 * 1024 * 1024, 'GET /x 200\n'))
    const before = w.sim.state.requests().length
    for (const [path, words] of [
      [fifo, 'pipe'],
      ['/dev/zero', 'device'],
      [big, 'over the 8.0 MiB']
    ] as const) {
      const r = await w.child(['revoke', '--ids-file', path])
      expect({ path, code: r.code }).toEqual({ path, code: 2 })
      expect(r.stderr).toContain(words)
      expect(r.stderr).not.toMatch(/Maximum call stack|at .*\.ts:\d+/)
    }
    expect(w.sim.state.requests().length).toBe(before)
  })

  it('summarises a log given as ids by count and excerpt, never the whole file', async () => {
    // Any list of more than 20 entries that are not ids: one line, bounded, and the rest counted.
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z/.:-]{1,40}$/), { minLength: 21, maxLength: 300 }),
        entries => {
          const problem = malformedProblem(entries)
          expect(problem).toMatchObject({ kind: 'not-ids', count: entries.length })
          const summary = (problem as { summary: string }).summary
          expect(summary.length).toBeLessThan(3 * 30 + 40)
          expect(summary).toMatch(new RegExp(` and ${entries.length - 3} more$`))
        }
      )
    )
    const log = join(dir, 'app.log')
    const lines = Array.from({ length: 20_000 }, (_, i) => `2030-01-01T00:00:${i % 60}Z GET /path/${i} 200`)
    await writeFile(log, lines.join('\n'))
    const r = await w.run(['revoke', '--ids-file', log])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/\d+ entries are not token ids \(.+ and \d+ more\)/)
    expect(r.stderr.length).toBeLessThan(600)
  })

  it('says the cost of a long list up front', async () => {
    const file = join(dir, 'many.txt')
    await writeFile(
      file,
      Array.from({ length: 12_000 }, (_, i) => `missing${String(i).padStart(15, '0')}`).join('\n')
    )
    const r = await w.run(['revoke', '--ids-file', file, '--dry-run', '--chunk-size', '500'])
    expect(r.stderr).toContain('12,000 ids: about 24 bulk writes of 500')
  })
})

describe('long lists in bounded stack', () => {
  it('a table of 200,000 rows (an audit of a big customer) is drawn', async () => {
    const { formatTable } = await import('../../src/cli/table.js')
    const rows = Array.from({ length: 200_000 }, (_, i) => [`id${i}`, 'revoked'])
    expect(formatTable(['ID', 'OUTCOME'], rows).split('\n')).toHaveLength(200_002)
  })
})

describe('the JSON report', () => {
  it('has learnedCap only when a size refusal taught it', async () => {
    const world = await CliWorld.start({ maxBulkIds: 10 })
    try {
      const ids = world.sim.state.addTokens(30, { user: DEMO }).map(t => t.id)
      const capped = JSON.parse(
        (await world.run(['revoke', '--json', '--id', ids.slice(0, 25).join(',')])).stdout
      )
      expect(capped).toMatchObject({ version: 1, mode: 'ids', counts: { revoked: 25 } })
      // What the sizer settled on: at most the server's cap of 10, found by refusals of more.
      expect(capped.learnedCap).toBeGreaterThan(0)
      expect(capped.learnedCap).toBeLessThanOrEqual(10)
      const under = JSON.parse(
        (await world.run(['revoke', '--json', '--id', ids.slice(25).join(',')])).stdout
      )
      expect(under.counts).toEqual({ revoked: 5 })
      expect(under).not.toHaveProperty('learnedCap')
    } finally {
      await world.close()
    }
  })

  it('has learnedCap for leaked values too, only when a size refusal taught it', async () => {
    const world = await CliWorld.start({ maxBulkIds: 10 })
    try {
      const values = world.sim.state.addTokens(30, { user: DEMO }).map(t => t.access_token)
      const run = async (some: string[]) =>
        JSON.parse((await world.run(['revoke', '--json', '--value', '-'], { stdin: some.join('\n') })).stdout)
      const capped = await run(values.slice(0, 25))
      expect(capped).toMatchObject({ version: 1, mode: 'values', counts: { revoked: 25 } })
      expect(capped.learnedCap).toBeGreaterThan(0)
      expect(capped.learnedCap).toBeLessThanOrEqual(10)
      const under = await run(values.slice(25))
      expect(under.counts).toEqual({ revoked: 5 })
      expect(under).not.toHaveProperty('learnedCap')
    } finally {
      await world.close()
    }
  })

  it('a dry run of leaked values reads each one and plans it: dryRun true, would-revoke, no write', async () => {
    const world = await CliWorld.start()
    try {
      const live = world.sim.state.addTokens(3, { user: DEMO, name: 'leaked' })
      const gone = world.sim.state.addToken({ user: DEMO, name: 'gone' })
      world.sim.state.revokeToken(gone.id)
      const stdin = [...live, gone].map(t => t.access_token).join('\n')
      const json = await world.run(['revoke', '--json', '--dry-run', '--value', '-'], { stdin })
      expect(json.code).toBe(0)
      const report = JSON.parse(json.stdout)
      expect(report).toMatchObject({
        version: 1,
        mode: 'values',
        dryRun: true,
        counts: { 'would-revoke': 3, 'already-gone': 1 }
      })
      const plain = await world.run(['revoke', '--dry-run', '--value', '-'], { stdin })
      expect(plain.code).toBe(0)
      expect(plain.stderr).toContain('dry run: 4 value(s) each read with itself (free); no write is sent')
      for (const t of live) expect(plain.stdout).toMatch(new RegExp(`${t.id}\\s+leaked-\\d+\\s+would-revoke`))
      expect(world.sim.state.requests().filter(r => r.method !== 'GET')).toEqual([])
      for (const t of live) expect(world.sim.state.token(t.id)).toBeDefined()
      for (const out of [json.stdout, json.stderr, plain.stdout, plain.stderr])
        for (const t of live) expect(out).not.toContain(t.access_token)
    } finally {
      await world.close()
    }
  })
})

describe('audit of a customer', () => {
  it('lists automation tokens with their type, revokes a matching one, and keeps browser sessions unless asked', async () => {
    const world = await CliWorld.start()
    try {
      const admin = world.sim.state.addToken({ user: 'admin@example.com', scope: 'global', name: 'admin' })
      const env = { FASTLY_API_TOKEN: admin.access_token }
      const { FastlyTokensClient } = await import('../../src/client/index.js')
      const client = new FastlyTokensClient({ baseUrl: world.sim.url, apiToken: admin.access_token, env: {} })
      const bot = await client.createAutomationToken({
        password: 'admin-password',
        name: 'old-bot',
        role: 'engineer'
      })
      await client.close()
      const session = world.sim.state.addToken({ user: DEMO, name: 'old manage.fastly.com browser session' })
      const customer = world.sim.state.users().find(u => u.email === DEMO)!.customerId
      const listed = await world.run(['audit', '--customer-id', customer, '--name', 'old*'], { env })
      expect(listed.stdout).toMatch(new RegExp(`${bot.id}\\s+automation\\s`))
      expect(listed.stdout).toContain(session.id)
      const revoked = await world.run(
        ['audit', '--customer-id', customer, '--name', 'old*', '--revoke-matching'],
        {
          env
        }
      )
      expect(revoked.code).toBe(0)
      expect(revoked.stderr).toContain('1 browser-session token(s) (manage.fastly.com) matched and are kept')
      expect(world.alive(bot.id)).toBe(false)
      expect(world.alive(session.id)).toBe(true)
      const asked = await world.run(
        ['audit', '--customer-id', customer, '--name', 'old*', '--revoke-matching', '--include-sessions'],
        { env }
      )
      expect(asked.code).toBe(0)
      expect(world.alive(session.id)).toBe(false)
    } finally {
      await world.close()
    }
  })
})
