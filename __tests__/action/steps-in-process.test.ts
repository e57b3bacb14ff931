/**
 * runMain / runPost in-process with the real client against the simulator, and a runner that
 * records every call in one sequence. What the child-process tests cannot see: the order of file
 * writes against masks. The token must be registered as a secret before it is written anywhere.
 */
import { describe, it, expect } from '@jest/globals'
import { FastlyTokensClient } from '../../src/client/index.js'
import { runMain } from '../../src/action/main-step.js'
import { runPost } from '../../src/action/post-step.js'
import type { Runner } from '../../src/action/runner.js'
import type { StepDeps } from '../../src/action/step-deps.js'
import { startSimulator } from '../../src/simulator/index.js'

type Event = { call: string; name?: string; value: string }

function recordingRunner(
  inputs: Record<string, string>,
  state: Record<string, string> = {},
  failWrite?: (call: string, name: string) => boolean
) {
  const events: Event[] = []
  const runner: Runner = {
    getInput: name => (inputs[name] ?? '').trim(),
    getRawInput: name => inputs[name] ?? '',
    checkFiles: () => [],
    getIDToken: () => Promise.reject(new Error('no ID tokens in this test')),
    setSecret: value => void events.push({ call: 'setSecret', value }),
    setOutput: (name, value) => void events.push({ call: 'setOutput', name, value }),
    saveState: (name, value) => {
      if (failWrite?.('saveState', name)) throw new Error('ENOSPC: no space left on device, write')
      events.push({ call: 'saveState', name, value })
    },
    getState: name => state[name] ?? '',
    exportVariable: (name, value) => void events.push({ call: 'exportVariable', name, value }),
    info: value => void events.push({ call: 'info', value }),
    debug: value => void events.push({ call: 'debug', value }),
    warning: value => void events.push({ call: 'warning', value }),
    error: value => void events.push({ call: 'error', value }),
    startGroup: value => void events.push({ call: 'startGroup', value }),
    endGroup: () => void events.push({ call: 'endGroup', value: '' }),
    appendSummary: async value => void events.push({ call: 'appendSummary', value }),
    setFailed: value => void events.push({ call: 'setFailed', value })
  }
  return { runner, events }
}

function deps(runner: Runner, now = Date.now): StepDeps {
  return {
    runner,
    createClient: request =>
      new FastlyTokensClient({ ...request, env: {}, retry: { sleep: async () => {} } }),
    now,
    context: { repository: 'o/r', runId: '1', runAttempt: '1', job: 'j' },
    readTextFile: () => {
      throw new Error('no files in this test')
    }
  }
}

describe('the token is masked before it is written anywhere', () => {
  it('main: setSecret(token) precedes every state, output and env write that holds it', async () => {
    const sim = await startSimulator({ seed: 3 })
    try {
      const { runner, events } = recordingRunner({
        username: 'demo@example.com',
        password: 'demo-password',
        scope: 'global:read',
        'api-url': sim.url
      })
      await runMain(deps(runner))
      expect(events.some(e => e.call === 'setFailed')).toBe(false)
      const token = events.find(e => e.call === 'setOutput' && e.name === 'token')!.value
      const masked = events.findIndex(e => e.call === 'setSecret' && e.value === token)
      const uses = events
        .map((e, i) => ({ e, i }))
        .filter(({ e }) => e.call !== 'setSecret' && e.value.includes(token))
      expect(masked).toBeGreaterThanOrEqual(0)
      expect(uses.map(u => `${u.e.call} ${u.e.name}`).sort()).toEqual([
        'exportVariable FASTLY_API_TOKEN',
        'saveState token',
        'setOutput token'
      ])
      for (const use of uses) expect(use.i).toBeGreaterThan(masked)
      // The password was masked before anything else happened at all.
      expect(events[0]).toEqual({ call: 'setSecret', value: 'demo-password' })

      const saved = Object.fromEntries(
        events.filter(e => e.call === 'saveState').map(e => [e.name!, e.value])
      )
      const post = recordingRunner({ 'api-url': sim.url }, saved)
      const report = await runPost(deps(post.runner))
      expect(report.outcome).toBe('revoked')
      expect(post.events.findIndex(e => e.call === 'setSecret' && e.value === token)).toBeLessThan(
        post.events.findIndex(e => e.call === 'info')
      )
      expect(sim.state.findByAccessToken(token)).toBeUndefined()
    } finally {
      await sim.close()
    }
  })

  it('post: the expiry skip uses the clock-skew margin on the step clock', async () => {
    const state = {
      token: 'tok_live-00000000000000000000000',
      'token-id': 'abcdefghijklmnopqrstuv',
      'expires-at': '2030-01-01T00:00:00Z',
      'api-url': 'http://127.0.0.1:9',
      revoke: 'true'
    }
    const justAfter = recordingRunner({}, state)
    const skipped = await runPost(deps(justAfter.runner, () => Date.parse('2030-01-01T00:00:31Z')))
    expect(skipped.outcome).toBe('expired')
    const withinSkew = recordingRunner({}, state)
    // 20 s past expiry by our clock: still tried (port 9 refuses), since our clock may run ahead.
    const tried = await runPost(deps(withinSkew.runner, () => Date.parse('2030-01-01T00:00:20Z')))
    expect(tried.outcome).toBe('left-alive')
    expect(tried.line).toMatch(/^Could not revoke token abcdefghijklmnopqrstuv: .*ECONNREFUSED/)
  })
})

describe('a hand-over write that fails after the checks (a disk that fills up between two writes)', () => {
  it.each([
    ['DELETE /tokens/self works: the token is revoked at once', false],
    ['DELETE /tokens/self is down too: a warning names the token and its expiry', true]
  ])('%s', async (_label, deleteDown) => {
    const sim = await startSimulator({
      seed: 3,
      ...(deleteDown ? { faults: [{ route: 'DELETE /tokens/self', kind: 'status5xx' as const }] } : {})
    })
    try {
      // The pending mint is written (the file worked), the token itself is not.
      const { runner, events } = recordingRunner(
        { username: 'demo@example.com', password: 'demo-password', 'api-url': sim.url },
        {},
        (call, name) => call === 'saveState' && name === 'token'
      )
      await runMain(deps(runner))
      const failed = events.filter(e => e.call === 'setFailed').map(e => e.value)
      expect(failed).toHaveLength(1)
      const minted = sim.state.tokens().filter(t => t.name === 'gha/o/r/run-1-1/j')
      if (!deleteDown) {
        expect(failed[0]).toMatch(
          /^The minted token \w+ could not be handed over \(saving it to the state for the post step failed: ENOSPC.*\)\. The action revoked it again\.$/
        )
        expect(minted).toEqual([])
      } else {
        expect(minted).toHaveLength(1)
        const [alive] = minted
        const warnings = events.filter(e => e.call === 'warning').map(e => e.value)
        expect(warnings).toEqual([
          expect.stringMatching(
            new RegExp(
              `^Token ${alive!.id} is alive until it expires at ${alive!.expires_at}: .*DELETE /tokens/self failed`
            )
          )
        ])
        expect(failed[0]).toContain(`it stays valid until it expires at ${alive!.expires_at}`)
      }
    } finally {
      await sim.close()
    }
  })
})
