/** Pure logic of the engine: parsing, refusal reading, the cap learner, the budget, the final verdict. */
import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import { isWellFormedTokenId, parseTokenIdList } from '../../src/revoke/index.js'
import { classifyRefusal, describeFailure } from '../../src/revoke/refusal.js'
import { ChunkSizer } from '../../src/revoke/cap.js'
import { WriteBudget } from '../../src/revoke/budget.js'
import { afterVerification } from '../../src/revoke/confirm.js'

const ID = '2j1hEyxXOEqYaSipeZHaW4'
const ID2 = '5NSGsvF9ybBxXAdEQhcYPz'

describe('parseTokenIdList', () => {
  it('splits on commas, newlines and spaces, drops blanks and repeats, keeps order', () => {
    expect(parseTokenIdList(` ${ID},\n\n${ID2} ${ID}\r\n\tnot/an-id, x `)).toEqual({
      ids: [ID, ID2],
      malformed: ['not/an-id', 'x']
    })
  })

  it('accepts 16 to 24 letters and digits only: a 32-character token value is no id', () => {
    expect(isWellFormedTokenId('a'.repeat(16))).toBe(true)
    expect(isWellFormedTokenId('a'.repeat(24))).toBe(true)
    expect(isWellFormedTokenId('a'.repeat(15))).toBe(false)
    expect(isWellFormedTokenId('a'.repeat(25))).toBe(false)
    expect(isWellFormedTokenId('QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7J')).toBe(false)
    expect(isWellFormedTokenId('X-srxc_zLpchro9ngNBVgyofN_jqQFJ2')).toBe(false)
  })

  it('puts every non-blank piece in exactly one list, once (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{16,24}$/), fc.string())), parts => {
        const { ids, malformed } = parseTokenIdList(parts.join('\n'))
        const pieces = parts
          .join('\n')
          .split(/[\s,]+/)
          .filter(Boolean)
        const all = [...ids, ...malformed]
        return (
          new Set(all).size === all.length &&
          new Set(all).size === new Set(pieces).size &&
          ids.every(isWellFormedTokenId) &&
          !malformed.some(isWellFormedTokenId)
        )
      })
    )
  })
})

describe('classifyRefusal', () => {
  const chunk = [ID, ID2]
  it('reads a 400 about a limit as a size refusal', () => {
    const r = classifyRefusal(
      {
        status: 400,
        apiMessage: 'Bulk revoke limit exceeded',
        detail: 'Too many token ids: 1000 given, the limit is 500.'
      },
      chunk
    )
    expect(r.kind).toBe('size')
  })
  it('reads a 404 or 403 naming ids as an id refusal with the culprits', () => {
    expect(
      classifyRefusal(
        { status: 404, apiMessage: 'Token lookup failed.', detail: `No token with id: ${ID2}.` },
        chunk
      )
    ).toMatchObject({
      kind: 'ids',
      status: 404,
      namedIds: [ID2]
    })
    expect(classifyRefusal({ status: 403, apiMessage: 'You are not authorized' }, chunk)).toMatchObject({
      kind: 'ids',
      namedIds: []
    })
  })
  it('reads a 400 that names an id, or says nothing of limits, as an id refusal', () => {
    expect(classifyRefusal({ status: 400, apiMessage: `Over the limit: ${ID}` }, chunk).kind).toBe('ids')
    expect(classifyRefusal({ status: 400, apiMessage: 'Bad request' }, chunk).kind).toBe('ids')
  })
  it('tells the rest apart: 429, 401, 5xx and no answer', () => {
    expect(classifyRefusal({ status: 429 }, chunk).kind).toBe('rate-limit')
    expect(classifyRefusal({ name: 'RateLimitError', status: 429 }, chunk).kind).toBe('rate-limit')
    expect(classifyRefusal({ status: 401 }, chunk).kind).toBe('auth')
    expect(classifyRefusal({ status: 503 }, chunk).kind).toBe('transient')
    expect(classifyRefusal({ code: 'ECONNRESET', message: 'socket hang up' }, chunk).kind).toBe('transient')
  })
  it('describes a failure by status, message and detail', () => {
    expect(describeFailure({ status: 404, apiMessage: 'Token lookup failed.', detail: 'No token.' })).toBe(
      'HTTP 404 Token lookup failed. (No token.)'
    )
    expect(describeFailure({ code: 'timeout', message: 'took too long' })).toBe('timeout took too long')
  })
})

describe('ChunkSizer', () => {
  it('never exceeds the start size and uses it while nothing is refused', () => {
    const s = new ChunkSizer(1000)
    expect(s.nextSize(5000)).toBe(1000)
    s.onAccepted(1000)
    expect(s.nextSize(5000)).toBe(1000)
    expect(s.nextSize(7)).toBe(7)
    expect(s.learnedCap).toBe(1000)
  })
  it('halves until accepted, then probes upward only while it pays', () => {
    const s = new ChunkSizer(1000)
    s.onSizeRefused(1000)
    expect(s.nextSize(9000)).toBe(500)
    s.onAccepted(500)
    expect(s.nextSize(9000)).toBe(625)
    s.onSizeRefused(625)
    expect(s.nextSize(9000)).toBe(531)
    s.onSizeRefused(531)
    // 507 would save nothing on 9000 ids: ceil(9000/500) = ceil(9000/507) = 18.
    expect(s.nextSize(9000)).toBe(500)
    expect(s.learnedCap).toBe(500)
  })
  it('refuses a start size that is not a positive integer', () => {
    expect(() => new ChunkSizer(0)).toThrow(/initialChunkSize/)
  })
})

describe('WriteBudget', () => {
  const reset = 1_900_000_000 // epoch seconds
  const make = (remaining: number, at: number, deadline?: number) => {
    let now = at
    const slept: number[] = []
    const source = { rateLimit: { remaining, resetEpochSeconds: reset } }
    const budget = new WriteBudget(source, {
      deadline,
      now: () => now,
      sleep: async ms => {
        slept.push(ms)
        now += ms
      }
    })
    return { budget, slept, source, time: () => now }
  }

  it('lets writes through while the budget lasts or is unknown', async () => {
    expect(await make(1, reset * 1000 - 60_000).budget.acquire()).toEqual({ go: true })
    const unknown = new WriteBudget({}, { now: () => 0, sleep: async () => {} })
    expect(await unknown.acquire()).toEqual({ go: true })
  })
  it('waits for the reset when the deadline allows, then goes', async () => {
    const b = make(0, reset * 1000 - 60_000, reset * 1000 + 10_000)
    expect(await b.budget.acquire()).toEqual({ go: true })
    expect(b.slept).toEqual([61_000])
  })
  it('stops when the reset is past the deadline, or the deadline has passed', async () => {
    const late = make(0, reset * 1000 - 60_000, reset * 1000)
    expect(await late.budget.acquire()).toMatchObject({ go: false, resetAt: reset * 1000 })
    expect(late.slept).toEqual([])
    const over = make(10, 5_000, 4_000)
    expect(await over.budget.acquire()).toMatchObject({ go: false, why: 'the deadline has passed' })
  })
  it('treats a budget report from a window that is over as full', async () => {
    expect(await make(0, reset * 1000 + 1).budget.acquire()).toEqual({ go: true })
  })
  it('honours a 429 reset even when the last report said there was budget', async () => {
    const b = make(500, reset * 1000 - 60_000, reset * 1000 - 1)
    b.budget.onRateLimited(new Date(reset * 1000))
    expect(await b.budget.acquire()).toMatchObject({ go: false })
  })
})

describe('afterVerification', () => {
  const revoked = { id: ID, outcome: 'revoked' as const }
  it('confirms what a read shows gone', () => {
    expect(afterVerification(revoked, 'gone', undefined, 'listed', false)).toEqual({
      id: ID,
      outcome: 'revoked',
      verified: true
    })
  })
  it('never leaves revoked what a read still shows', () => {
    expect(afterVerification(revoked, 'still-there', 'still listed', 'listed', true)).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('still listed after revoke')
    })
  })
  it('without a read: trusts a 204 only for an id seen to exist, or from a server seen to check ids', () => {
    expect(afterVerification(revoked, 'unverified', 'HTTP 503', 'listed', false)).toMatchObject({
      outcome: 'revoked',
      verified: false
    })
    expect(afterVerification(revoked, 'unverified', 'HTTP 503', 'unknown', true)).toMatchObject({
      outcome: 'revoked',
      verified: false
    })
    expect(afterVerification(revoked, 'unverified', 'HTTP 503', 'unknown', false)).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('unconfirmed')
    })
  })
  it('does not call an id revoked just because it is gone, when it was never seen to exist and the server skips unknown ids', () => {
    expect(afterVerification(revoked, 'gone', undefined, 'unknown', false)).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('unconfirmed')
    })
    expect(afterVerification(revoked, 'gone', undefined, 'unknown', true)).toEqual({
      id: ID,
      outcome: 'revoked',
      verified: true
    })
  })
  it('turns a failed or 404 write of a token seen to exist into revoked when it is gone', () => {
    const failed = { id: ID, outcome: 'not-found' as const, reason: 'HTTP 404 Token lookup failed.' }
    expect(afterVerification(failed, 'gone', undefined, 'listed', true)).toMatchObject({
      outcome: 'revoked',
      verified: true
    })
    expect(afterVerification(failed, 'still-there', undefined, 'listed', true)).toEqual(failed)
  })
})
