/**
 * Incident response and audit from a workflow step: ids in bulk (with unknown and malformed ones),
 * leaked values (one already revoked), and an audit with revoke-matching, dry run first.
 */
import { describe, it, expect } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO, TOKEN_HOMES, assertNoLeak, logLines, messages, runStep, withSimulator } from './harness.js'

describe('revoke-token-ids', () => {
  it('revokes every good id, reports unknown and malformed ones, and fails after trying all', () =>
    withSimulator({}, async sim => {
      const admin = sim.state.addToken({ user: DEMO.user, name: 'responder', scope: 'global' })
      const leaked = sim.state.addTokens(3, { user: DEMO.user, name: 'leaked' })
      const unknown = 'unknownTokenId00000000'
      const ids = [leaked[0]!.id, 'not-an-id!', unknown, leaked[1]!.id, leaked[0]!.id].join(', ')
      // The file is read relative to the workspace, like any action's file input.
      const workspace = mkdtempSync(join(tmpdir(), 'workspace-'))
      mkdirSync(join(workspace, 'incident'))
      writeFileSync(join(workspace, 'incident', 'ids.txt'), `\n${leaked[2]!.id}\n${unknown}\n`)
      const main = await runStep({
        step: 'main',
        inputs: {
          'api-token': admin.access_token,
          'revoke-token-ids': ids,
          'revoke-token-ids-file': 'incident/ids.txt',
          'api-url': sim.url
        },
        cwd: workspace
      })
      rmSync(workspace, { recursive: true, force: true })
      expect(main.exitCode).toBe(1)
      expect(JSON.parse(main.outputs['revoked-ids']!)).toEqual([leaked[0]!.id, leaked[1]!.id, leaked[2]!.id])
      expect(JSON.parse(main.outputs['failed-ids']!).sort()).toEqual(['not-an-id!', unknown].sort())
      for (const t of leaked) expect(sim.state.token(t.id)).toBeUndefined()
      expect(sim.state.token(admin.id)).toBeDefined()

      // Malformed entries are reported before any request is made.
      const warningAt = main.commands.findIndex(c => c.command === 'warning')
      const groupAt = main.commands.findIndex(c => c.command === 'group')
      expect(messages(main, 'warning')[0]).toBe('1 malformed token id(s), never sent: not-an-id!')
      expect(warningAt).toBeLessThan(groupAt)
      expect(sim.state.requests().some(r => r.path.includes('not-an-id'))).toBe(false)

      const lines = logLines(main)
      expect(lines.some(l => l.startsWith(`${unknown}: not-found`))).toBe(true)
      expect(lines.filter(l => /^\w+: revoked \(verified gone\)$/.test(l))).toHaveLength(3)
      expect(messages(main, 'error')).toEqual([
        '2 of 5 token(s) could not be revoked (see the failed-ids output and the job summary); every other one was tried'
      ])
      expect(main.summary).toContain('### Token ids: 3 revoked, 2 not revoked')
      expect(main.summary).toMatch(/\| not-an-id! \| malformed \|/)
      assertNoLeak(main, { 'api-token': admin.access_token })
    }))
})

describe('revoke-token-ids with api-token itself on the list', () => {
  it('keeps api-token (skipped-self, one warning, no write for it) unless revoke-include-self, which revokes it last', () =>
    withSimulator({}, async sim => {
      const admin = sim.state.addToken({ user: DEMO.user, name: 'responder', scope: 'global' })
      const leaked = sim.state.addTokens(2, { user: DEMO.user, name: 'leaked' })
      const ids = [leaked[0]!.id, admin.id, leaked[1]!.id].join('\n')
      const inputs = { 'api-token': admin.access_token, 'revoke-token-ids': ids, 'api-url': sim.url }

      const kept = await runStep({ step: 'main', inputs })
      expect(kept.exitCode).toBe(0)
      expect(JSON.parse(kept.outputs['revoked-ids']!)).toEqual([leaked[0]!.id, leaked[1]!.id])
      expect(JSON.parse(kept.outputs['failed-ids']!)).toEqual([])
      expect(messages(kept, 'warning')).toEqual([
        `${admin.id} is api-token itself and was not revoked; set revoke-include-self: true to revoke it too (it goes last)`
      ])
      const progress = logLines(kept).filter(l => l.startsWith('… '))
      expect(progress.at(-1)).toBe('… 3/3 ids settled: 2 revoked, 0 failed, 0 left, 1 write requests')
      expect(new Set(progress).size).toBe(progress.length)
      expect(logLines(kept)).toContain(
        `${admin.id}: skipped-self — the token making the requests: not revoked unless asked (it would end this access)`
      )
      expect(kept.summary).toMatch(new RegExp(`\\| \`?${admin.id}\`? \\| skipped-self \\|`))
      expect(sim.state.token(admin.id)).toBeDefined()
      // What a write names is in its path and body (every request is made with api-token itself).
      const names = (r: { path: string; body?: string }, id: string) =>
        `${r.path} ${r.body ?? ''}`.includes(id)
      const keptWrites = sim.state.requests().filter(r => r.method === 'DELETE')
      expect(keptWrites.length).toBeGreaterThan(0)
      expect(keptWrites.some(r => names(r, admin.id))).toBe(false)
      assertNoLeak(kept, { 'api-token': admin.access_token })

      const others = sim.state.addTokens(2, { user: DEMO.user, name: 'leaked-again' })
      const before = sim.state.requests().length
      const asked = await runStep({
        step: 'main',
        inputs: {
          ...inputs,
          'revoke-token-ids': [others[0]!.id, admin.id, others[1]!.id].join('\n'),
          'revoke-include-self': 'true'
        }
      })
      expect(asked.exitCode).toBe(0)
      expect(JSON.parse(asked.outputs['revoked-ids']!).sort()).toEqual(
        [others[0]!.id, admin.id, others[1]!.id].sort()
      )
      expect(messages(asked, 'warning')).toEqual([])
      for (const t of [...others, admin]) expect(sim.state.token(t.id)).toBeUndefined()
      // api-token goes last: every write before the one that revokes it names only the others.
      const writes = sim.state
        .requests()
        .slice(before)
        .filter(r => r.method === 'DELETE')
      // It is revoked with DELETE /tokens/self, after the bulk write that names only the others.
      expect(writes.map(r => r.route)).toEqual(['DELETE /tokens', 'DELETE /tokens/self'])
      expect(names(writes[0]!, admin.id)).toBe(false)
      expect(logLines(asked)).toContain(
        `${admin.id}: revoked (verified gone) — the token making the requests: revoked last, with DELETE /tokens/self`
      )
      assertNoLeak(asked, { 'api-token': admin.access_token })
    }))
})

describe('revoke-token-ids with the token minted in the same step', () => {
  it('mints a global token, then revokes the listed ids with it', () =>
    withSimulator({}, async sim => {
      const leaked = sim.state.addTokens(2, { user: DEMO.user, name: 'leaked' })
      const main = await runStep({
        step: 'main',
        inputs: {
          username: DEMO.user,
          password: DEMO.password,
          scope: 'global',
          'revoke-token-ids': leaked.map(t => t.id).join('\n'),
          'api-url': sim.url
        }
      })
      expect(main.exitCode).toBe(0)
      expect(JSON.parse(main.outputs['revoked-ids']!)).toEqual(leaked.map(t => t.id))
      for (const t of leaked) expect(sim.state.token(t.id)).toBeUndefined()
      const bulk = sim.state.requests().filter(r => r.route === 'DELETE /tokens')
      expect(bulk.map(r => r.tokenId)).toEqual([main.outputs['token-id']])
      expect(sim.state.findByAccessToken(main.outputs.token!)).toBeDefined()
      assertNoLeak(main, { token: main.outputs.token, password: DEMO.password }, { token: TOKEN_HOMES })
    }))
})

describe('revoke-token-values', () => {
  it('revokes each leaked value with itself; one already revoked and one unknown count as gone', () =>
    withSimulator({}, async sim => {
      const [live, revoked] = sim.state.addTokens(2, { user: DEMO.user, name: 'leaked-ci' })
      sim.state.revokeToken(revoked!.id)
      // 32 characters of the token alphabet: the shape of a token, so the API's 401 means gone.
      const unknownValue = 'neverIssued_value-00000000000000'
      const values = [live!.access_token, revoked!.access_token, unknownValue]
      const main = await runStep({
        step: 'main',
        inputs: { 'revoke-token-values': values.join('\n'), 'api-url': sim.url },
        debug: true
      })
      expect(main.exitCode).toBe(0)
      expect(sim.state.token(live!.id)).toBeUndefined()
      expect(JSON.parse(main.outputs['revoked-ids']!)).toEqual([live!.id])
      expect(JSON.parse(main.outputs['failed-ids']!)).toEqual([])
      const outcomes = JSON.parse(main.outputs['value-outcomes']!)
      expect(outcomes.map((o: { outcome: string }) => o.outcome)).toEqual([
        'revoked',
        'already-gone',
        'already-gone'
      ])
      expect(outcomes[0]['token-id']).toBe(live!.id)
      // Every value was masked before the first request line of the step.
      const masks = main.commands.filter(c => c.command === 'add-mask').map(c => c.message)
      for (const value of values) expect(masks).toContain(value)
      expect(main.summary).toContain('### Leaked values: 3 revoked or already gone, 0 not')
      assertNoLeak(main, { live: live!.access_token, revoked: revoked!.access_token, unknown: unknownValue })
    }))

  it('plans with dry-run: each value read (free), would-revoke with its token, no write, nothing revoked', () =>
    withSimulator({}, async sim => {
      const admin = sim.state.addToken({ user: DEMO.user, name: 'responder', scope: 'global' })
      const [live, revoked] = sim.state.addTokens(2, { user: DEMO.user, name: 'leaked-ci' })
      sim.state.revokeToken(revoked!.id)
      const values = [live!.access_token, revoked!.access_token]
      for (const withAdmin of [true, false]) {
        const before = sim.state.requests().length
        const main = await runStep({
          step: 'main',
          inputs: {
            ...(withAdmin ? { 'api-token': admin.access_token } : {}),
            'revoke-token-values': values.join('\n'),
            'dry-run': 'true',
            'api-url': sim.url
          }
        })
        expect(main.exitCode).toBe(0)
        expect(
          sim.state
            .requests()
            .slice(before)
            .filter(r => r.method !== 'GET')
        ).toEqual([])
        expect(sim.state.token(live!.id)).toBeDefined()
        expect(JSON.parse(main.outputs['revoked-ids']!)).toEqual([])
        const outcomes = JSON.parse(main.outputs['value-outcomes']!)
        expect(outcomes.map((o: { outcome: string }) => o.outcome)).toEqual(['would-revoke', 'already-gone'])
        expect(outcomes[0]['token-id']).toBe(live!.id)
        expect(outcomes[0].reason).toMatch(
          withAdmin ? /revoked in bulk with the admin token/ : /revoke itself/
        )
        expect(main.summary).toContain(
          '### Leaked values (dry run): 1 would be revoked, 1 already gone, 0 neither'
        )
        assertNoLeak(main, {
          live: live!.access_token,
          revoked: revoked!.access_token,
          admin: admin.access_token
        })
      }
    }))

  it('keeps api-token when its own value is on the list: skipped-self and a warning, as for ids, not a failure', () =>
    withSimulator({}, async sim => {
      const admin = sim.state.addToken({ user: DEMO.user, name: 'responder', scope: 'global' })
      const [live] = sim.state.addTokens(1, { user: DEMO.user, name: 'leaked-ci' })
      const main = await runStep({
        step: 'main',
        inputs: {
          'api-token': admin.access_token,
          'revoke-token-values': [live!.access_token, admin.access_token].join('\n'),
          'api-url': sim.url
        }
      })
      expect(main.exitCode).toBe(0)
      const outcomes = JSON.parse(main.outputs['value-outcomes']!)
      expect(outcomes.map((o: { outcome: string }) => o.outcome)).toEqual(['revoked', 'skipped-self'])
      expect(messages(main, 'warning')).toEqual([
        `${admin.id} is api-token itself and was not revoked; set revoke-include-self: true to revoke it too (it goes last)`
      ])
      expect(sim.state.token(admin.id)).toBeDefined()
      expect(sim.state.token(live!.id)).toBeUndefined()
      assertNoLeak(main, { live: live!.access_token, admin: admin.access_token })
    }))

  it('strips pasted wrappings (the cleaned value masked first), and calls a mangled value malformed, never gone', () =>
    withSimulator({}, async sim => {
      const [a, b, c] = sim.state.addTokens(3, { user: DEMO.user, name: 'pasted' })
      const mangled = `${c!.access_token.slice(0, 30)}xyz`
      const lines = [`"${a!.access_token}",`, `Bearer ${b!.access_token}`, `FASTLY_API_TOKEN='${mangled}'`]
      const main = await runStep({
        step: 'main',
        inputs: { 'revoke-token-values': lines.join('\n'), 'api-url': sim.url },
        debug: true
      })
      expect(sim.state.token(a!.id)).toBeUndefined()
      expect(sim.state.token(b!.id)).toBeUndefined()
      const outcomes = JSON.parse(main.outputs['value-outcomes']!)
      expect(outcomes.map((o: { outcome: string }) => o.outcome)).toEqual(['revoked', 'revoked', 'malformed'])
      // A mangled value is not proof that anything is gone: the step fails and says so.
      expect(main.exitCode).toBe(1)
      // The cleaned values were masked before the first plain line of the step.
      const firstLine = main.commands.findIndex(cmd => cmd.command === undefined)
      const masksBefore = main.commands
        .slice(0, firstLine)
        .filter(cmd => cmd.command === 'add-mask')
        .map(cmd => cmd.message)
      for (const v of [a!.access_token, b!.access_token, mangled]) expect(masksBefore).toContain(v)
      assertNoLeak(main, { a: a!.access_token, b: b!.access_token, mangled })
    }))
})

describe('mode: audit', () => {
  it('lists and filters, plans with dry-run (no write), then revokes the matches', () =>
    withSimulator({}, async sim => {
      const admin = sim.state.addToken({ user: DEMO.user, name: 'auditor', scope: 'global' })
      const old = Date.now() - 60 * 86_400_000
      const stale = sim.state.addToken({
        user: DEMO.user,
        name: 'gha/octo/run-1',
        createdAt: old,
        lastUsedAt: old
      })
      const fresh = sim.state.addToken({ user: DEMO.user, name: 'gha/octo/run-2' })
      const other = sim.state.addToken({ user: DEMO.user, name: 'laptop', createdAt: old })
      const inputs = {
        mode: 'audit',
        'api-token': admin.access_token,
        'audit-name': 'gha/*',
        'audit-created-before': '30d',
        'revoke-matching': 'true',
        'api-url': sim.url
      }
      const writesBefore = sim.state.writesUsed(DEMO.user)
      const dry = await runStep({ step: 'main', inputs: { ...inputs, 'dry-run': 'true' } })
      expect(dry.exitCode).toBe(0)
      expect(dry.outputs['audit-count']).toBe('1')
      expect(JSON.parse(dry.outputs['audit-json']!)).toEqual([
        expect.objectContaining({ id: stale.id, name: 'gha/octo/run-1' })
      ])
      expect(JSON.parse(dry.outputs['revoked-ids']!)).toEqual([])
      expect(sim.state.writesUsed(DEMO.user)).toBe(writesBefore)
      expect(sim.state.token(stale.id)).toBeDefined()
      expect(dry.summary).toContain('Dry run: 1 would be revoked, no write spent')

      const real = await runStep({ step: 'main', inputs })
      expect(real.exitCode).toBe(0)
      expect(JSON.parse(real.outputs['revoked-ids']!)).toEqual([stale.id])
      expect(sim.state.token(stale.id)).toBeUndefined()
      for (const kept of [fresh, other, admin]) expect(sim.state.token(kept.id)).toBeDefined()
      expect(real.summary).toMatch(/### Token audit \(api-token's user\): 1 of \d+ match/)
      assertNoLeak(dry, { 'api-token': admin.access_token })
      assertNoLeak(real, { 'api-token': admin.access_token })
    }))
})
