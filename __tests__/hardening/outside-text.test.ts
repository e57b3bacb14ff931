/**
 * Nothing from outside becomes a workflow command or live Markdown: dist/main and dist/post run as
 * the runner runs them, against the simulator (or a front that answers with a scripted error),
 * with token names, id entries and API messages that try to forge commands, escape sequences and
 * Markdown/HTML. Every step is scanned by the harness (scanned-run.ts); here each case also checks
 * that the text is shown, escaped, where a responder needs it: the log and the job summary.
 */
import { describe, expect, it } from '@jest/globals'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { FastlyTokensClient } from '../../src/client/index.js'
import { logText } from '../../src/text/log-text.js'
import { markdownText } from '../../src/text/markdown-text.js'
import { findForgedCommands } from './support/command-scan.js'
import { artifactsOf, findLeaks } from './support/leak-scan.js'
import { startFront } from './support/loopback.js'
import { runStep, type StepResult } from './support/scanned-run.js'

const USER = 'demo@example.com'
const PASSWORD = 'demo-password'

/** Names that try every trick; each carries the planted mark, so a forged command is recognised. */
const HOSTILE_NAMES = [
  'x\n::error title=FORGED::a token name made this annotation',
  'deploy ##[warning]FORGED legacy form mid-line',
  '::stop-commands::FORGED',
  '  ::add-mask title=FORGED::x',
  'cr\r::notice title=FORGED::x',
  'sep\u2028::error title=FORGED::x\u0085nel',
  'ansi \u001b[31mred\u001b[0m and csi \u009b2J',
  '[x](javascript:alert(1))',
  '![i](http://evil.example/pixel.png)',
  '<img src=x onerror=alert(1)>',
  '`tick` **bold** _em_ | pipe | <http://auto.example> www.bare.example',
  '# heading\n- list',
  'bidi \u202eevil\u202c zero\u200bwidth'
]

async function withSim<T>(body: (sim: Simulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator({ seed: 11 })
  try {
    return await body(sim)
  } finally {
    await sim.close()
  }
}

/** What the runner shows as plain lines and annotations (the raw stdout lines). */
function shownLines(step: StepResult): string[] {
  return step.commands.map(c => c.message)
}

/**
 * Live Markdown/HTML a hostile name would have produced in the summary, unescaped: a link or an
 * image (a bracket without its backslash), a tag, an autolink, a heading or a list item.
 */
const LIVE_MARKUP = [/(?<!\\)\[/, /(?<!\\)\]\(/, /<img/i, /<http/, /^# heading/m, /^- list/m, /(?<!\\)`tick/]

/** A responder's token, the hostile-named tokens, and an audit run over them with `inputs` added. */
async function auditHostile(sim: Simulator, debug: boolean, inputs: Record<string, string> = {}) {
  const admin = sim.state.addToken({ user: USER, name: 'responder', scope: 'global' })
  const seeded = HOSTILE_NAMES.map(name => sim.state.addToken({ user: USER, name, scope: 'global' }))
  const main = await runStep({
    step: 'main',
    debug,
    inputs: { mode: 'audit', 'api-token': admin.access_token, 'api-url': sim.url, ...inputs }
  })
  return { admin, seeded, main }
}

describe.each([false, true])('outside text with debug %s', debug => {
  it('audit: hostile token names are shown escaped in the log and the summary, and forge nothing', () =>
    withSim(async sim => {
      const { admin, seeded, main } = await auditHostile(sim, debug)
      expect(main.exitCode).toBe(0)
      const lines = shownLines(main)
      for (const t of seeded) {
        expect(lines.some(l => l.includes(`"${logText(t.name)}"`) && l.includes(t.id))).toBe(true)
        expect(main.summary).toContain(markdownText(t.name))
      }
      for (const pattern of LIVE_MARKUP) expect(main.summary).not.toMatch(pattern)
      expect(JSON.parse(main.outputs['audit-json']!).map((t: { name: string }) => t.name)).toEqual(
        expect.arrayContaining(HOSTILE_NAMES)
      )
      expect(findLeaks(artifactsOf(main), { 'api-token': admin.access_token })).toEqual([])
    }))

  it('audit with revoke-matching: the per-id lines and the table forge nothing either', () =>
    withSim(async sim => {
      const { seeded, main } = await auditHostile(sim, debug, {
        'audit-name': '*FORGED*',
        'revoke-matching': 'true'
      })
      const marked = seeded.filter(t => t.name.includes('FORGED'))
      expect(main.exitCode).toBe(0)
      expect(JSON.parse(main.outputs['revoked-ids']!).sort()).toEqual(marked.map(t => t.id).sort())
      for (const t of marked) expect(sim.state.token(t.id)).toBeUndefined()
    }))

  it('revoke-token-ids: entries that are commands are reported as malformed, escaped, never sent', () =>
    withSim(async sim => {
      const admin = sim.state.addToken({ user: USER, name: 'responder', scope: 'global' })
      const entries = ['::stop-commands::FORGED', 'x##[warning]FORGED', '::FORGED::y', '#[group]FORGED']
      const main = await runStep({
        step: 'main',
        debug,
        inputs: {
          'api-token': admin.access_token,
          'revoke-token-ids': entries.join('\n'),
          'api-url': sim.url
        }
      })
      expect(main.exitCode).toBe(1)
      const warning = main.commands.find(c => c.command === 'warning')?.message ?? ''
      for (const entry of entries) expect(warning).toContain(logText(entry))
      expect(main.summary).toContain(markdownText('x##[warning]FORGED'))
      expect(sim.state.requests().some(r => r.path.includes('FORGED'))).toBe(false)
    }))

  it('revoke-token-values: the name the API gives for a leaked value forges nothing', () =>
    withSim(async sim => {
      const leaked = HOSTILE_NAMES.slice(0, 6).map(name =>
        sim.state.addToken({ user: USER, name, scope: 'global' })
      )
      const main = await runStep({
        step: 'main',
        debug,
        inputs: { 'revoke-token-values': leaked.map(t => t.access_token).join('\n'), 'api-url': sim.url }
      })
      expect(main.exitCode).toBe(0)
      for (const t of leaked) expect(sim.state.token(t.id)).toBeUndefined()
      const secrets = Object.fromEntries(leaked.map((t, i) => [`leaked-${i}`, t.access_token]))
      expect(findLeaks(artifactsOf(main), secrets)).toEqual([])
    }))
})

/** API error bodies whose `msg`, `detail` and code try to forge commands and markup. */
const HOSTILE_ERRORS = [
  { msg: 'Bad request\n::error title=FORGED::from msg', detail: 'see ##[warning]FORGED' },
  { msg: '::stop-commands::FORGED', detail: '\u001b[2J<img src=x>' },
  { errors: [{ title: 'x\r::notice title=FORGED::y', detail: '[a](javascript:alert(1))' }] },
  { title: 'problem\u2028::error title=FORGED::z', detail: '![p](http://evil.example/p.png)' }
]

describe.each([false, true])('API error text with debug %s', debug => {
  it.each(HOSTILE_ERRORS.map((body, i) => [i, body] as const))(
    'a refused mint (body %i) fails the step with the API text escaped',
    async (_, body) => {
      const sim = await startSimulator({ seed: 12 })
      const front = await startFront(sim.url, {
        'POST /tokens': { status: 400, body: JSON.stringify(body) }
      })
      try {
        const main = await runStep({
          step: 'main',
          debug,
          inputs: { username: USER, password: PASSWORD, 'api-url': front.url }
        })
        expect(main.exitCode).toBe(1)
        const error = main.commands.find(c => c.command === 'error')?.message ?? ''
        expect(error).toContain('answered 400 Bad Request')
        expect(error).not.toMatch(/[\r\n\u2028]/u)
        expect(error.includes('\u001b')).toBe(false)
        for (const pattern of LIVE_MARKUP) expect(main.summary).not.toMatch(pattern)
        const post = await runStep({
          step: 'post',
          debug,
          inputs: { 'api-url': front.url },
          state: main.state
        })
        expect(post.exitCode).toBe(0)
        expect(findLeaks(artifactsOf(main), { password: PASSWORD })).toEqual([])
      } finally {
        await front.close()
        await sim.close()
      }
    }
  )

  it('a refused self-revocation in post shows the API text escaped', async () => {
    const sim = await startSimulator({ seed: 13 })
    const front = await startFront(sim.url, {
      'DELETE /tokens/self': { status: 403, body: JSON.stringify(HOSTILE_ERRORS[0]) }
    })
    try {
      const main = await runStep({
        step: 'main',
        debug,
        inputs: { username: USER, password: PASSWORD, 'api-url': front.url }
      })
      expect(main.exitCode).toBe(0)
      const post = await runStep({ step: 'post', debug, inputs: { 'api-url': front.url }, state: main.state })
      const warning = post.commands.find(c => c.command === 'warning')?.message ?? ''
      expect(warning).toContain(logText('Bad request ::error title=FORGED::from msg'))
      for (const pattern of LIVE_MARKUP) expect(post.summary).not.toMatch(pattern)
    } finally {
      await front.close()
      await sim.close()
    }
  })
})

describe('what the simulator accepts as a token name', () => {
  it('mints and lists hostile names through the API as given', () =>
    withSim(async sim => {
      const client = new FastlyTokensClient({ baseUrl: sim.url })
      try {
        for (const name of HOSTILE_NAMES) {
          const created = await client.createToken({ username: USER, password: PASSWORD, name })
          expect(created.name).toBe(name)
          const self = await client.withToken(created.access_token).getTokenCurrent()
          expect(self.name).toBe(name)
        }
      } finally {
        await client.close()
      }
    }))
})

describe('the scan over a real step can fail', () => {
  it('finds a forged line planted into a real step output', () =>
    withSim(async sim => {
      const admin = sim.state.addToken({ user: USER, name: 'responder', scope: 'global' })
      const main = await runStep({
        step: 'main',
        inputs: { mode: 'audit', 'api-token': admin.access_token, 'api-url': sim.url }
      })
      expect(findForgedCommands(main.stdout)).toEqual([])
      // What the step printed before logText: the raw name on a line of its own.
      expect(findForgedCommands(`${main.stdout}\n${HOSTILE_NAMES[0]}`)).toHaveLength(1)
    }))
})
