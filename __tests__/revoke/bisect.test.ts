import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import { ChunkSizer } from '../../src/revoke/cap.js'
import { RevokeQueue, type AttemptResult, type Settlement } from '../../src/revoke/bisect.js'

/**
 * An in-memory all-or-nothing bulk endpoint: refuses a request over `cap` ids (400, size), and a
 * request holding any bad id (that id's status), naming the first bad id only when `names` is set.
 */
function fakeServer(cap: number, bad: Map<string, number>, names: boolean) {
  return (ids: string[]): AttemptResult => {
    if (ids.length > cap) {
      return { kind: 'size', status: 400, reason: `HTTP 400 Too many ids: at most ${cap} per request` }
    }
    const culprit = ids.find(id => bad.has(id))
    if (culprit === undefined) return { kind: 'accepted' }
    const status = bad.get(culprit)!
    return { kind: 'ids', status, reason: `HTTP ${status} refused`, namedIds: names ? [culprit] : [] }
  }
}

function run(ids: string[], initial: number, server: (ids: string[]) => AttemptResult) {
  const queue = new RevokeQueue(ids, new ChunkSizer(initial))
  const settled = new Map<string, Settlement>()
  let writes = 0
  for (let attempt = queue.next(); attempt; attempt = queue.next()) {
    writes += 1
    if (writes > 100_000) throw new Error('runaway')
    for (const s of queue.settle(server(attempt.ids))) {
      if (settled.has(s.id)) throw new Error(`${s.id} settled twice`)
      settled.set(s.id, s)
    }
  }
  return { settled, writes }
}

const makeIds = (n: number) => Array.from({ length: n }, (_, i) => `tok${String(i).padStart(19, '0')}`)

describe('RevokeQueue against an all-or-nothing server', () => {
  it('learns a cap of 500 from 1000 with one refused write and revokes 9,800 ids in 23 writes', () => {
    const ids = makeIds(9800)
    const { settled, writes } = run(ids, 1000, fakeServer(500, new Map(), false))
    expect(writes).toBe(23)
    expect([...settled.values()].every(s => s.outcome === 'revoked')).toBe(true)
    expect(settled.size).toBe(9800)
  })

  it('stays within ceil(9800/cap) + ceil(log2(10000/cap)) + 1 writes for every cap up to the start size', () => {
    const ids = makeIds(9800)
    for (const cap of [1, 2, 3, 7, 50, 99, 100, 128, 250, 300, 333, 499, 500, 501, 640, 777, 999, 1000]) {
      const { writes, settled } = run(ids, 1000, fakeServer(cap, new Map(), false))
      const bound = Math.ceil(9800 / cap) + Math.ceil(Math.log2(10000 / cap)) + 1
      expect({ cap, ok: writes <= bound }).toEqual({ cap, ok: true })
      expect(settled.size).toBe(9800)
    }
  })

  it('isolates 200 bad ids among 10,000 within ceil(10000/cap) + 200*ceil(log2(cap)) writes', () => {
    const ids = makeIds(10_000)
    for (const cap of [500, 256, 1000]) {
      const bad = new Map<string, number>()
      for (let i = 0; i < 200; i++) bad.set(ids[i * 50 + ((i * 7) % 50)]!, i % 5 === 0 ? 403 : 404)
      const { settled, writes } = run(ids, 1000, fakeServer(cap, bad, false))
      expect(writes).toBeLessThanOrEqual(Math.ceil(10000 / cap) + 200 * Math.ceil(Math.log2(cap)))
      for (const id of ids) {
        const expected = bad.has(id) ? (bad.get(id) === 403 ? 'forbidden' : 'not-found') : 'revoked'
        expect(settled.get(id)?.outcome).toBe(expected)
      }
    }
  })

  // In general each bad id costs the refused request that revealed it, one per halving, and about
  // one more while chunks grow back to full size after it; with many bad ids per chunk (the
  // 10,000/200 case above) shared halvings bring it under log2(cap).
  it('costs at most ceil(n/cap) + bad*(ceil(log2(cap))+2) writes plus the cap learning, wherever the bad ids are (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 50, max: 3000 }),
        fc.integer({ min: 2, max: 512 }),
        fc.uniqueArray(fc.nat(), { maxLength: 60 }),
        (n, cap, picks) => {
          const ids = makeIds(n)
          const bad = new Map(picks.map(i => [ids[i % n]!, 404] as const))
          const { writes } = run(ids, 1000, fakeServer(cap, bad, false))
          const learning = Math.ceil(Math.log2(10_000 / cap)) + 1
          return writes <= Math.ceil(n / cap) + bad.size * (Math.ceil(Math.log2(cap)) + 2) + learning
        }
      ),
      { numRuns: 200 }
    )
  })

  it('does not shrink chunks to a crawl after one early bad id (found by the property above)', () => {
    for (const [n, cap] of [
      [1321, 441],
      [2500, 250],
      [700, 17]
    ] as const) {
      const ids = makeIds(n)
      const { writes } = run(ids, 1000, fakeServer(cap, new Map([[ids[0]!, 404]]), false))
      const bound =
        Math.ceil(n / cap) + Math.ceil(Math.log2(cap)) + 1 + Math.ceil(Math.log2(10_000 / cap)) + 1
      expect({ n, cap, ok: writes <= bound }).toEqual({ n, cap, ok: true })
    }
  })

  it('settles ids the API names without bisecting', () => {
    const ids = makeIds(1000)
    const bad = new Map(ids.filter((_, i) => i % 100 === 3).map(id => [id, 404] as const))
    const { settled, writes } = run(ids, 1000, fakeServer(1000, bad, true))
    // One refusal per named id, then the accepted remainder.
    expect(writes).toBe(11)
    expect([...settled.values()].filter(s => s.outcome === 'not-found').map(s => s.id)).toEqual([
      ...bad.keys()
    ])
  })

  it('isolates any set of bad ids correctly (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(400, 403, 404, 422)), { maxLength: 40 }),
        fc.boolean(),
        (n, cap, badPicks, names) => {
          const ids = makeIds(n)
          const bad = new Map(badPicks.map(([i, status]) => [ids[i % n]!, status] as const))
          const { settled } = run(ids, 64, fakeServer(cap, bad, names))
          for (const id of ids) {
            const status = bad.get(id)
            const expected =
              status === undefined
                ? 'revoked'
                : status === 404
                  ? 'not-found'
                  : status === 403
                    ? 'forbidden'
                    : 'failed'
            if (settled.get(id)?.outcome !== expected) return false
          }
          return settled.size === n
        }
      ),
      { numRuns: 300 }
    )
  })
})

describe('RevokeQueue on other answers', () => {
  it('retries ids after a transient failure once, then settles them as failed', () => {
    const queue = new RevokeQueue(makeIds(4), new ChunkSizer(10))
    const first = queue.next()!
    expect(queue.settle({ kind: 'transient', status: 503, reason: 'HTTP 503 busy' })).toEqual([])
    const second = queue.next()!
    expect(second.ids).toEqual(first.ids)
    const settled = queue.settle({ kind: 'transient', status: 503, reason: 'HTTP 503 busy' })
    expect(settled.map(s => s.outcome)).toEqual(['failed', 'failed', 'failed', 'failed'])
    expect(queue.next()).toBeUndefined()
  })

  it('fails everything at once when the caller is refused (401)', () => {
    const queue = new RevokeQueue(makeIds(30), new ChunkSizer(10))
    queue.next()
    const settled = queue.settle({
      kind: 'auth',
      status: 401,
      reason: 'HTTP 401 Provided credentials are missing'
    })
    expect(settled).toHaveLength(30)
    expect(new Set(settled.map(s => s.outcome))).toEqual(new Set(['failed']))
    expect(queue.next()).toBeUndefined()
  })

  it('sends the same ids again after a rate-limit refusal and drains what is left', () => {
    const queue = new RevokeQueue(makeIds(25), new ChunkSizer(10))
    const first = queue.next()!
    queue.settle({ kind: 'rate-limit', reason: 'HTTP 429' })
    expect(queue.next()!.ids).toEqual(first.ids)
    expect(queue.waiting).toBe(25)
    expect(queue.drain()).toHaveLength(25)
    expect(queue.next()).toBeUndefined()
  })

  it('records that the server checks ids once it refused one', () => {
    const queue = new RevokeQueue(makeIds(2), new ChunkSizer(10))
    expect(queue.validatesIds).toBe(false)
    queue.next()
    queue.settle({ kind: 'ids', status: 404, reason: 'HTTP 404', namedIds: [] })
    expect(queue.validatesIds).toBe(true)
  })
})
