import { describe, it, expect, afterEach } from '@jest/globals'
import { revokeLeakedValues } from '../../src/revoke/index.js'
import { DEMO, START, startWorld, type World } from './world.js'

let world: World | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

describe('revokeLeakedValues', () => {
  it('revokes each value with itself, records which token it was, and confirms it no longer works', async () => {
    world = await startWorld()
    const w = world
    const a = w.sim.state.addToken({ user: DEMO, name: 'leaked-in-a-log' })
    const b = w.sim.state.addToken({ user: DEMO, name: 'leaked-in-a-gist', scope: 'purge_all' })
    const demoId = w.sim.state.users().find(u => u.email === DEMO)!.id
    const outcomes = await revokeLeakedValues(w.client, [a.access_token, b.access_token])
    expect(outcomes).toEqual([
      {
        index: 0,
        tokenId: a.id,
        name: 'leaked-in-a-log',
        userId: demoId,
        outcome: 'revoked',
        verified: true
      },
      {
        index: 1,
        tokenId: b.id,
        name: 'leaked-in-a-gist',
        userId: demoId,
        outcome: 'revoked',
        verified: true
      }
    ])
    expect(w.sim.state.findByAccessToken(a.access_token)).toBeUndefined()
    expect(w.sim.state.findByAccessToken(b.access_token)).toBeUndefined()
    const selfRevokes = w.sim.state.requests().filter(r => r.method === 'DELETE' && r.path === '/tokens/self')
    expect(selfRevokes.map(r => r.tokenId).sort()).toEqual([a.id, b.id].sort())
    // The caller's own token was never used for this: the values authenticate themselves.
    expect(w.sim.state.requests().some(r => r.tokenId === w.callerId)).toBe(false)
  })

  it('reports a value that is already revoked, or expired, as already gone, and spends no write on it', async () => {
    world = await startWorld()
    const w = world
    const revoked = w.sim.state.addToken({ user: DEMO, name: 'gone' })
    w.sim.state.revokeToken(revoked.id)
    const expired = w.sim.state.addToken({ user: DEMO, name: 'old', expiresAt: START - 60_000 })
    const outcomes = await revokeLeakedValues(w.client, [revoked.access_token, expired.access_token])
    expect(outcomes).toEqual([
      { index: 0, outcome: 'already-gone', reason: expect.stringContaining('HTTP 401') },
      { index: 1, outcome: 'already-gone', reason: expect.stringContaining('expired') }
    ])
    expect(w.sim.state.writesUsed(DEMO)).toBe(0)
  })

  it('reports a refused self-revocation as failed with the status and message', async () => {
    world = await startWorld({ readOnlySelfRevoke: false })
    const w = world
    const readOnly = w.sim.state.addToken({ user: DEMO, name: 'read-only', scope: 'global:read' })
    const [o] = await revokeLeakedValues(w.client, [readOnly.access_token])
    expect(o).toMatchObject({
      index: 0,
      tokenId: readOnly.id,
      outcome: 'failed',
      reason: expect.stringContaining('HTTP 403')
    })
    expect(w.sim.state.findByAccessToken(readOnly.access_token)).toBeDefined()
  })

  it('handles a repeated value once and an unusable one without a request', async () => {
    world = await startWorld()
    const w = world
    const a = w.sim.state.addToken({ user: DEMO, name: 'twice' })
    const outcomes = await revokeLeakedValues(w.client, [a.access_token, 'has a space', a.access_token])
    expect(outcomes[0]).toMatchObject({ index: 0, outcome: 'revoked' })
    expect(outcomes[1]).toMatchObject({
      index: 1,
      outcome: 'malformed',
      reason: expect.stringContaining('never sent')
    })
    expect(outcomes[2]).toMatchObject({ index: 2, outcome: 'revoked', reason: 'same value as #1' })
    expect(w.sim.state.requests().filter(r => r.method === 'DELETE')).toHaveLength(1)
  })

  it('never puts a value in an outcome, whatever happens to it', async () => {
    world = await startWorld({ faults: [{ route: 'DELETE /tokens/self', kind: 'status5xx', status: 500 }] })
    const w = world
    const live = w.sim.state.addToken({ user: DEMO, name: 'faulted' })
    const gone = w.sim.state.addToken({ user: DEMO, name: 'gone' })
    w.sim.state.revokeToken(gone.id)
    const values = [live.access_token, gone.access_token, 'x'.repeat(32)]
    const outcomes = await revokeLeakedValues(w.client, values)
    expect(outcomes.map(o => o.outcome)).toEqual(['failed', 'already-gone', 'already-gone'])
    const text = JSON.stringify(outcomes)
    for (const v of values) expect(text).not.toContain(v)
  })
})
