/**
 * The CLI prints the API's text (names, ids, dates, error messages) and the user's entries: to a
 * terminal, or to a workflow log when a step runs it (docs/examples). Every run of the harness is
 * scanned for forged commands and raw escape sequences (harness.ts); here each command meets
 * hostile names, entries and API messages, and shows them escaped.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { logText } from '../../src/text/log-text.js'
import { startFront, type LoopbackServer } from '../hardening/support/loopback.js'
import { assertNoForgedLines, CliWorld, DEMO } from './harness.js'

const HOSTILE_NAMES = [
  'x\n::error title=FORGED::from a name',
  'deploy ##[warning]FORGED',
  '::stop-commands::FORGED',
  'cr\r::notice title=FORGED::x',
  'ansi \u001b[31mred\u001b[0m csi \u009b2J',
  'sep\u2028::error title=FORGED::x',
  'bidi \u202eevil\u202c'
]

let w: CliWorld
let seeded: Array<{ id: string; name: string; access_token: string }>
beforeAll(async () => {
  w = await CliWorld.start()
  seeded = HOSTILE_NAMES.map(name => w.sim.state.addToken({ user: DEMO, name, scope: 'global' }))
})
afterAll(() => w.close())

describe('hostile token names', () => {
  it('list and audit show each name escaped on its own row', async () => {
    for (const argv of [['list'], ['audit', '--name', '*']]) {
      const r = await w.run(argv)
      expect(r.code).toBe(0)
      const rows = r.stdout.split('\n')
      for (const t of seeded)
        expect(rows.some(row => row.startsWith(t.id) && row.endsWith(logText(t.name)))).toBe(true)
    }
  })

  it('--json keeps every name exactly, in JSON no line of which is a command', async () => {
    const r = await w.run(['--json', 'list'])
    const names = (JSON.parse(r.stdout) as Array<{ name: string }>).map(t => t.name)
    expect(names).toEqual(expect.arrayContaining(HOSTILE_NAMES))
  })

  it('create prints a hostile --name escaped in its note', async () => {
    const r = await w.run(
      ['create', '--username', DEMO, '--name', HOSTILE_NAMES[0]!, '--expires-in', '30m'],
      {
        env: { FASTLY_API_TOKEN: undefined, FASTLY_PASSWORD: 'demo-password' }
      }
    )
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(`"${logText(HOSTILE_NAMES[0]!)}"`)
  })

  it('revoke --value shows the names the API gives for leaked values escaped', async () => {
    const leaked = seeded.slice(0, 3)
    const r = await w.run(['revoke', '--value', '-'], {
      env: { FASTLY_API_TOKEN: undefined },
      stdin: leaked.map(t => t.access_token).join('\n')
    })
    for (const t of leaked) {
      expect(w.alive(t.id)).toBe(false)
      expect(r.stdout).toContain(logText(t.name))
    }
  })

  it('revoke --id reports command-shaped entries escaped, and sends none of them', async () => {
    // (A `#` starts a comment in an id list, so `##[` cannot reach an entry here; the JSON form below
    // carries it.) Blanks separate entries, so each of these is one entry.
    const entries = ['::stop-commands::FORGED', 'ansi\u001b[31mFORGED', 'zw\u200b::error::FORGED']
    const r = await w.run(['revoke', '--ids-file', '-'], { stdin: entries.join('\n') })
    expect(r.code).not.toBe(0)
    for (const entry of entries) expect(r.stdout).toContain(logText(entry))
    expect(w.sim.state.requests().some(q => q.path.includes('FORGED'))).toBe(false)
  })
})

describe('hostile text on the incident paths (issue 11)', () => {
  it('revoke --value with an admin token (reads, then bulk) shows the names escaped', async () => {
    const leaked = [
      w.sim.state.addToken({ user: DEMO, name: HOSTILE_NAMES[1]!, scope: 'global' }),
      w.sim.state.addToken({ user: DEMO, name: HOSTILE_NAMES[3]!, scope: 'global' })
    ]
    const r = await w.run(['revoke', '--value', '-'], { stdin: leaked.map(t => t.access_token).join('\n') })
    for (const t of leaked) {
      expect(w.alive(t.id)).toBe(false)
      expect(r.stdout).toContain(logText(t.name))
    }
  })

  it('audit --json keeps the names exactly, in JSON no line of which is a command', async () => {
    const r = await w.run(['--json', 'audit', '--name', '*'])
    expect(r.code).toBe(0)
    expect(JSON.stringify(JSON.parse(r.stdout))).toContain(JSON.stringify(HOSTILE_NAMES[0]!).slice(1, -1))
  })

  it('an id file of many command-shaped lines is refused with an escaped excerpt', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `::error::FORGED${i}`)
    const r = await w.run(['revoke', '--ids-file', '-'], { stdin: lines.join('\n') })
    expect(r.code).not.toBe(0)
    expect(r.stdout + r.stderr).toContain(`"${logText('::error::FORGED0')}"`)
    expect(w.sim.state.requests().some(q => q.path.includes('FORGED'))).toBe(false)
  })

  it('JSON id documents with command-shaped ids report them escaped, and send none', async () => {
    const entries = ['::stop-commands::FORGED', 'a##[warning]FORGED']
    const r = await w.run(['revoke', '--ids-file', '-'], {
      stdin: JSON.stringify(entries.map(id => ({ id })))
    })
    expect(r.code).not.toBe(0)
    for (const entry of entries) expect(r.stdout).toContain(logText(entry))
    expect(w.sim.state.requests().some(q => q.path.includes('FORGED'))).toBe(false)
  })
})

describe('hostile API messages', () => {
  let front: LoopbackServer
  beforeAll(async () => {
    front = await startFront(w.sim.url, {
      'GET /tokens': {
        status: 400,
        body: JSON.stringify({ msg: 'Bad\n::error title=FORGED::x \u001b[2J', detail: '##[warning]FORGED' })
      }
    })
  })
  afterAll(() => front.close())

  it('an error answer is printed on one line, escaped', async () => {
    const r = await w.run(['list'], { env: { FASTLY_API_ENDPOINT: front.url } })
    expect(r.code).toBe(3)
    const line = r.stderr.split('\n').find(l => l.startsWith('error:')) ?? ''
    expect(line).toContain('answered 400 Bad Request')
    expect(line).toContain('##\\[warning]FORGED')
  })
})

describe('the CLI scan can fail', () => {
  it('finds a forged line and a raw escape sequence', () => {
    expect(() => assertNoForgedLines({ stdout: 'ok\n::stop-commands::FORGED\n', stderr: '' })).toThrow()
    expect(() => assertNoForgedLines({ stdout: '', stderr: 'name ##[error]FORGED\n' })).toThrow()
    expect(() => assertNoForgedLines({ stdout: '\u001b[2J', stderr: '' })).toThrow()
    expect(() => assertNoForgedLines({ stdout: 'ok\n', stderr: 'fine\n' })).not.toThrow()
  })
})
