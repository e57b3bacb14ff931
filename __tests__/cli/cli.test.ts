import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { totp } from '../../src/client/index.js'
import { CliWorld, DEMO, START } from './harness.js'

let w: CliWorld
let dir: string
beforeAll(async () => {
  w = await CliWorld.start()
  dir = await mkdtemp(join(tmpdir(), 'fastly-tokens-cli-'))
})
afterAll(async () => {
  await w.close()
  await rm(dir, { recursive: true, force: true })
})

const DAY = 86_400_000

describe('help, version and usage errors', () => {
  it('prints the command list and the exit codes with --help (exit 0)', async () => {
    const r = await w.run(['--help'])
    expect(r.code).toBe(0)
    for (const word of ['create', 'list', 'revoke', 'audit', 'Exit codes', '--api-url'])
      expect(r.stdout).toContain(word)
  })
  it('prints each command’s help', async () => {
    for (const cmd of ['create', 'list', 'revoke', 'audit']) {
      const r = await w.run([cmd, '--help'])
      expect(r.code).toBe(0)
      expect(r.stdout).toContain(`fastly-tokens ${cmd}`)
    }
  })
  it('prints the version', async () => {
    const r = await w.run(['--version'])
    expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+/) })
  })
  it('exits 2 on no command, an unknown command, an unknown flag or a stray argument, before any request', async () => {
    const before = w.sim.state.requests().length
    expect((await w.run([])).code).toBe(2)
    const flag = await w.run(['list', '--frob'])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toContain('--frob')
    // A stray word may be a password typed after a flag that takes none: never echoed.
    const unknown = await w.run(['--password', 'hunter2-secret', 'create'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('unknown command')
    const stray = await w.run(['create', '--password', 'correct horse', 'battery-secret'])
    expect(stray.code).toBe(2)
    expect(stray.stderr).toContain('1 unexpected argument')
    expect(unknown.stderr + stray.stderr).not.toMatch(/hunter2|battery/)
    expect(w.sim.state.requests().length).toBe(before)
  })
  it('exits 2 without FASTLY_API_TOKEN where one is needed, and for plain http off loopback', async () => {
    const noToken = await w.run(['list'], { env: { FASTLY_API_TOKEN: undefined } })
    expect(noToken.code).toBe(2)
    expect(noToken.stderr).toContain('FASTLY_API_TOKEN')
    const insecure = await w.run(['list', '--api-url', 'http://api.example.com'])
    expect(insecure.code).toBe(2)
    expect(insecure.stderr).toContain('loopback')
  })
  // Every command that talks to the API, against a wrong token and a closed port: the same code.
  const API_COMMANDS: string[][] = [
    ['list'],
    ['audit'],
    ['audit', '--name', 'ci-*', '--revoke-matching'],
    ['revoke', '--id', 'a'.repeat(22)],
    ['revoke', '--id', 'a'.repeat(22), '--dry-run'],
    ['revoke', '--current', '--dry-run']
  ]
  it.each(API_COMMANDS.map(args => [args.join(' '), args] as const))(
    'exits 3 when the API refuses the caller or cannot be reached: %s',
    async (_, args) => {
      const refused = await w.run(args, { env: { FASTLY_API_TOKEN: 'x'.repeat(32) } })
      expect(refused.code).toBe(3)
      expect(refused.stderr).toContain('401')
      expect(refused.stderr).not.toContain('x'.repeat(32))
      const closed = await w.run([...args, '--api-url', 'http://127.0.0.1:1'])
      expect(closed.code).toBe(3)
    }
  )
})

describe('list', () => {
  it('prints a table, and with --json the tokens as the API returns them', async () => {
    const t = w.sim.state.addToken({ user: DEMO, name: 'listed-one' })
    const text = await w.run(['list'])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(new RegExp(`${t.id}\\s+user\\s+global`))
    const json = await w.run(['--json', 'list'])
    expect(json.code).toBe(0)
    const tokens = JSON.parse(json.stdout) as Array<Record<string, unknown>>
    expect(tokens.find(x => x.id === t.id)).toMatchObject({ id: t.id, name: 'listed-one', scope: 'global' })
  })
  it('lists the customer for a superuser, and exits 3 when a user is refused that', async () => {
    const admin = w.sim.state.addToken({ user: 'admin@example.com', name: 'auditor' })
    const r = await w.run(['list', '--json', '--customer-id', 'demoCustomer0000000000'], {
      env: { FASTLY_API_TOKEN: admin.access_token }
    })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).length).toBeGreaterThan(1)
    const refused = await w.run(['list', '--customer-id', 'demoCustomer0000000000'])
    expect(refused.code).toBe(3)
    expect(refused.stderr).toContain('403')
  })
})

describe('create', () => {
  it('prints the new token once, alone on stdout; what it is goes to stderr; the password nowhere', async () => {
    const r = await w.run(
      ['create', '--username', DEMO, '--name', 'ci-run', '--scope', 'purge_all', '--expires-in', '30m'],
      {
        env: { FASTLY_API_TOKEN: undefined, FASTLY_PASSWORD: 'demo-password' }
      }
    )
    expect(r.code).toBe(0)
    const value = r.stdout.trim()
    expect(r.stdout).toBe(`${value}\n`)
    const token = w.sim.state.findByAccessToken(value)!
    expect(token).toMatchObject({
      name: 'ci-run',
      scope: 'purge_all',
      expires_at: new Date(START + 30 * 60_000).toISOString().replace('.000', '')
    })
    expect(r.stderr).toContain(token.id)
    expect(r.stderr).not.toContain(value)
    expect(r.stdout + r.stderr).not.toContain('demo-password')
  })
  it('mints through the sudo flow with FASTLY_API_TOKEN and the password from stdin; --json shape', async () => {
    const r = await w.run(
      ['create', '--json', '--password', '-', '--scope', 'global', '--expires-in', 'never'],
      {
        stdin: 'demo-password\n'
      }
    )
    expect(r.code).toBe(0)
    const created = JSON.parse(r.stdout) as Record<string, unknown>
    expect(created).toMatchObject({
      scope: 'global',
      expires_at: null,
      access_token: expect.any(String),
      id: expect.any(String)
    })
    expect(w.sim.state.requests().some(q => q.path === '/sudo')).toBe(true)
  })
  it('exits 3 with the reason when the account needs a one-time password, and works with --totp-secret', async () => {
    const env = { FASTLY_API_TOKEN: undefined, FASTLY_PASSWORD: '2fa-password' }
    const without = await w.run(['create', '--username', '2fa@example.com'], { env })
    expect(without.code).toBe(3)
    expect(without.stderr).toMatch(/one-time password/)
    const secret = 'JBSWY3DPEHPK3PXP'
    const withTotp = await w.run(['create', '--username', '2fa@example.com', '--totp-secret', secret], {
      env
    })
    expect(withTotp.code).toBe(0)
    expect(withTotp.stdout + withTotp.stderr).not.toContain(secret)
    expect(withTotp.stdout + withTotp.stderr).not.toContain(totp(secret, w.now()))
  })
  it('refuses bad input before any request (exit 2)', async () => {
    const before = w.sim.state.requests().length
    const env = { FASTLY_PASSWORD: 'demo-password' }
    for (const args of [
      ['create', '--scope', 'root'],
      ['create', '--expires-in', '60'],
      ['create', '--services', 'a/b'],
      ['create', '--username', 'not-an-email'],
      ['create', '--otp', '12'],
      ['create', '--totp-secret', '!!!']
    ]) {
      const r = await w.run(args, { env })
      expect({ args, code: r.code }).toEqual({ args, code: 2 })
    }
    expect((await w.run(['create'], { env: { FASTLY_PASSWORD: undefined } })).code).toBe(2)
    expect(w.sim.state.requests().length).toBe(before)
  })
})

describe('revoke', () => {
  it('revokes by --id and --ids-file (exit 0), and says what it did', async () => {
    const [a, b, c] = w.sim.state.addTokens(3, { user: DEMO, name: 'leak' }).map(t => t.id)
    const file = join(dir, 'ids.txt')
    await writeFile(file, `${b}\n\n${c}\n`)
    const r = await w.run(['revoke', '--id', a!, '--ids-file', file])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`${a}\\s+revoked \\(verified\\)`))
    expect(r.stdout).toContain('3 revoked (3 verified)')
    expect([a, b, c].some(id => w.alive(id!))).toBe(false)
  })
  it('exits 1 when some ids are not revoked; --json gives the versioned report', async () => {
    const [a] = w.sim.state.addTokens(1, { user: DEMO }).map(t => t.id)
    const bogus = 'bogus0000000000000000x'
    const r = await w.run(['revoke', '--json', '--ids-file', '-'], { stdin: `${a},${bogus}` })
    expect(r.code).toBe(1)
    const report = JSON.parse(r.stdout)
    expect(report).toEqual({
      version: 1,
      mode: 'ids',
      dryRun: false,
      counts: { revoked: 1, 'not-found': 1 },
      outcomes: [
        {
          id: a,
          name: expect.any(String),
          owner: expect.any(String),
          type: 'user',
          outcome: 'revoked',
          verified: true
        },
        { id: bogus, outcome: 'not-found', reason: expect.stringContaining('404') }
      ],
      writes: 1,
      reads: expect.any(Number)
    })
    expect(report.reads).toBeGreaterThan(0)
  })
  it('refuses a token value pasted into --id, also 32 plain alphanumerics, without printing it (exit 2)', async () => {
    const before = w.sim.state.requests().length
    // Recorded values: one with - and _, one without (a third of real tokens have neither).
    for (const value of ['X-srxc_zLpchro9ngNBVgyofN_jqQFJ2', 'QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7J']) {
      const r = await w.run(['revoke', '--id', value])
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('looks like a token value')
      expect(r.stderr).toContain('--value -')
      expect(r.stdout + r.stderr).not.toContain(value)
    }
    expect(w.sim.state.requests().length).toBe(before)
  })
  it('a dry run spends no write (exit 0)', async () => {
    const ids = w.sim.state.addTokens(4, { user: DEMO }).map(t => t.id)
    const before = w.sim.state.writesUsed(DEMO)
    const r = await w.run(['revoke', '--dry-run', '--id', ids.join(',')])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('4 would be revoked')
    expect(w.sim.state.writesUsed(DEMO)).toBe(before)
    expect(ids.every(id => w.alive(id))).toBe(true)
  })
  it('reports left ids, writes them to --left-file and exits 5 (rerun) when the budget runs out; the file finishes the job', async () => {
    const world = await CliWorld.start({ writeLimitPerHour: 2, maxBulkIds: 10 })
    try {
      const ids = world.sim.state.addTokens(30, { user: DEMO }).map(t => t.id)
      const left = join(dir, 'left.txt')
      const first = await world.run([
        'revoke',
        '--id',
        ids.join(','),
        '--chunk-size',
        '10',
        '--max-time',
        '5m',
        '--left-file',
        left
      ])
      expect(first.code).toBe(5)
      expect(first.stderr).toContain(`--ids-file ${left}`)
      const leftLines = (await readFile(left, 'utf8')).trim().split('\n')
      // The learned bulk size rides along as a comment, for the resume to start at.
      expect(leftLines).toContain('# bulk-cap: 10')
      const leftIds = leftLines.filter(line => !line.startsWith('#'))
      expect(leftIds).toHaveLength(10)
      world.sim.state.clock.advance(3_600_000)
      const second = await world.run(['revoke', '--ids-file', left, '--chunk-size', '10'])
      expect(second.code).toBe(0)
      expect(ids.some(id => world.alive(id))).toBe(false)
    } finally {
      await world.close()
    }
  })
  it('revokes leaked values from stdin without an API token and never prints them', async () => {
    const live = w.sim.state.addToken({ user: DEMO, name: 'pasted-in-chat' })
    const gone = w.sim.state.addToken({ user: DEMO, name: 'already' })
    w.sim.state.revokeToken(gone.id)
    const r = await w.run(['revoke', '--json', '--value', '-'], {
      stdin: `${live.access_token}\n\n${gone.access_token}\n`,
      env: { FASTLY_API_TOKEN: undefined }
    })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({
      version: 1,
      mode: 'values',
      dryRun: false,
      counts: { revoked: 1, 'already-gone': 1 },
      outcomes: [
        {
          id: live.id,
          position: 1,
          name: 'pasted-in-chat',
          owner: expect.any(String),
          outcome: 'revoked',
          verified: true
        },
        { position: 2, outcome: 'already-gone', reason: expect.stringContaining('401') }
      ],
      writes: 1,
      reads: expect.any(Number)
    })
    for (const v of [live.access_token, gone.access_token]) expect(r.stdout + r.stderr).not.toContain(v)
    expect(w.alive(live.id)).toBe(false)
  })
  it('exits 1 when a value cannot revoke itself (no admin token); an admin token revokes it by id', async () => {
    const world = await CliWorld.start({ readOnlySelfRevoke: false })
    try {
      const ro = world.sim.state.addToken({ user: DEMO, name: 'ro', scope: 'global:read' })
      const r = await world.run(['revoke', '--value', '-'], {
        stdin: ro.access_token,
        env: { FASTLY_API_TOKEN: undefined }
      })
      expect(r.code).toBe(1)
      expect(r.stdout).toMatch(/#1\s+\S+\s+ro\s+failed\s+HTTP 403/)
      expect(r.stderr).not.toContain(ro.access_token)
      const admin = await world.run(['revoke', '--value', '-'], { stdin: ro.access_token })
      expect(admin.code).toBe(0)
      expect(admin.stdout).toMatch(/#1\s+\S+\s+ro\s+revoked \(verified\)/)
      expect(world.alive(ro.id)).toBe(false)
    } finally {
      await world.close()
    }
  })
  it('revokes the current token with --current', async () => {
    const mine = w.sim.state.addToken({ user: DEMO, name: 'my-laptop' })
    const r = await w.run(['revoke', '--current'], { env: { FASTLY_API_TOKEN: mine.access_token } })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`${mine.id}\\s+my-laptop\\s+revoked \\(verified\\)`))
    expect(w.alive(mine.id)).toBe(false)
  })
  it('needs exactly one way of naming what to revoke (exit 2)', async () => {
    expect((await w.run(['revoke'])).code).toBe(2)
    expect((await w.run(['revoke', '--current', '--id', 'a'.repeat(22)])).code).toBe(2)
    expect((await w.run(['revoke', '--ids-file', join(dir, 'missing.txt')])).code).toBe(2)
    expect((await w.run(['revoke', '--id', 'a'.repeat(22), '--chunk-size', '0'])).code).toBe(2)
  })
})

describe('progress line', () => {
  it('is drawn on a terminal, printed with --progress, and absent otherwise', async () => {
    const ids = () =>
      w.sim.state
        .addTokens(5, { user: DEMO })
        .map(t => t.id)
        .join(',')
    const tty = await w.run(['revoke', '--id', ids()], { tty: true })
    expect(tty.stderr).toMatch(/\rrevoking: 5\/5 settled, 5 revoked, 0 not revoked, 1 write request/)
    const piped = await w.run(['revoke', '--progress', '--id', ids()])
    expect(piped.stderr).toMatch(/^revoking: 0\/5 settled/m)
    expect(piped.stderr).not.toContain('\r')
    const quiet = await w.run(['revoke', '--id', ids()])
    expect(quiet.stderr).toBe('')
  })
})

describe('audit', () => {
  beforeAll(() => {
    w.sim.state.addToken({
      user: DEMO,
      name: 'ci-stale-1',
      createdAt: START - 100 * DAY,
      lastUsedAt: START - 90 * DAY
    })
    w.sim.state.addToken({ user: DEMO, name: 'ci-stale-2', createdAt: START - 200 * DAY, lastUsedAt: null })
    w.sim.state.addToken({ user: DEMO, name: 'ci-fresh', createdAt: START - DAY, lastUsedAt: START - 60_000 })
  })

  it('prints the matches and how many were scanned; --json gives { scanned, matches }', async () => {
    const r = await w.run(['audit', '--name', 'ci-*', '--unused-days', '30'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('ci-stale-1')
    expect(r.stdout).toContain('ci-stale-2')
    expect(r.stdout).not.toContain('ci-fresh')
    expect(r.stdout).toMatch(/2 of \d+ tokens match/)
    const json = JSON.parse(
      (await w.run(['audit', '--json', '--name', 'ci-*', '--unused-days', '30'])).stdout
    )
    expect(json).toMatchObject({ version: 1, mode: 'audit', dryRun: true, counts: { matched: 2 } })
    expect(json.outcomes.map((o: { name: string }) => o.name).sort()).toEqual(['ci-stale-1', 'ci-stale-2'])
    expect(json.outcomes[0]).toEqual({
      id: expect.any(String),
      name: expect.any(String),
      owner: expect.any(String),
      type: 'user',
      outcome: 'matched'
    })
    expect(json.tokens.map((t: { name: string }) => t.name).sort()).toEqual(['ci-stale-1', 'ci-stale-2'])
    expect(json.scanned).toBeGreaterThan(2)
  })
  it('--created-before takes a date or an age, the same rule as the action', async () => {
    const byAge = await w.run(['audit', '--json', '--name', 'ci-*', '--created-before', '150d'])
    expect(byAge.code).toBe(0)
    expect(JSON.parse(byAge.stdout).tokens.map((t: { name: string }) => t.name)).toEqual(['ci-stale-2'])
    const impossible = await w.run(['audit', '--created-before', '2024-02-31'])
    expect(impossible.code).toBe(2)
    expect(impossible.stderr).toContain('--created-before: expected a date')
  })
  it('--revoke-matching --dry-run spends no write; --revoke-matching revokes the matches, outcomes in the same schema', async () => {
    const before = w.sim.state.writesUsed(DEMO)
    const dry = await w.run(['audit', '--name', 'ci-stale-*', '--revoke-matching', '--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('2 would be revoked')
    expect(w.sim.state.writesUsed(DEMO)).toBe(before)
    const real = await w.run(['audit', '--json', '--name', 'ci-stale-*', '--revoke-matching'])
    expect(real.code).toBe(0)
    const json = JSON.parse(real.stdout)
    expect(json).toMatchObject({ version: 1, mode: 'audit', dryRun: false, counts: { revoked: 2 } })
    expect(
      json.outcomes.map((o: { outcome: string; name: string }) => [o.outcome, o.name.slice(0, 8)])
    ).toEqual([
      ['revoked', 'ci-stale'],
      ['revoked', 'ci-stale']
    ])
    expect(json.tokens).toHaveLength(2)
    expect(w.sim.state.tokens().some(t => t.name.startsWith('ci-stale'))).toBe(false)
  })
  it('never revokes the token making the requests unless --include-self: skipped-self, a warning, exit 1', async () => {
    const r = await w.run(['audit', '--name', 'responder', '--revoke-matching'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(new RegExp(`${w.callerId}\\s+skipped-self`))
    expect(r.stderr).toContain('add --include-self to revoke it too')
    expect(w.alive(w.callerId)).toBe(true)
  })
  it('revoke --id with the caller among the ids keeps it, even with --json; --include-self revokes it last', async () => {
    const world = await CliWorld.start()
    try {
      const others = world.sim.state.addTokens(2, { user: DEMO }).map(t => t.id)
      const ids = [world.callerId, ...others].join(',')
      const kept = await world.run(['revoke', '--json', '--id', ids])
      expect(kept.code).toBe(1)
      expect(kept.stderr).toContain(`warning: ${world.callerId} is the token making the requests`)
      expect(world.alive(world.callerId)).toBe(true)
      expect(others.some(id => world.alive(id))).toBe(false)
      const dry = await world.run(['revoke', '--id', world.callerId, '--include-self', '--dry-run'])
      expect(dry.stdout).toContain('would be revoked last')
      const asked = await world.run(['revoke', '--id', world.callerId, '--include-self'])
      expect(asked.code).toBe(0)
      expect(world.alive(world.callerId)).toBe(false)
      const log = world.sim.state.requests()
      expect(log.filter(e => e.method === 'DELETE').at(-1)).toMatchObject({ path: '/tokens/self' })
    } finally {
      await world.close()
    }
  })
  it('refuses --revoke-matching without a filter, and bad filters (exit 2)', async () => {
    for (const args of [
      ['audit', '--revoke-matching'],
      ['audit', '--unused-days', 'ten'],
      ['audit', '--created-before', 'yesterday'],
      ['audit', '--scope', 'everything'],
      ['audit', '--expired', '--not-expired'],
      ['audit', '--dry-run']
    ]) {
      expect({ args, code: (await w.run(args)).code }).toEqual({ args, code: 2 })
    }
  })
  it('refuses engine flags without --revoke-matching instead of ignoring them (exit 2)', async () => {
    const r = await w.run(['audit', '--name', 'ci-*', '--max-time', '5m', '--no-verify'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--no-verify, --max-time go with --revoke-matching')
  })
})
