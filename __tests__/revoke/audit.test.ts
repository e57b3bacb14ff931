import { describe, it, expect, afterAll, beforeAll } from '@jest/globals'
import { auditTokens, globToRegExp, matchesAuditFilter } from '../../src/revoke/index.js'
import type { Token } from '../../src/types.js'
import { ADMIN, DEMO, START, startWorld, type World } from './world.js'

const DAY = 86_400_000

describe('globToRegExp', () => {
  it('treats only * and ? as special', () => {
    expect(globToRegExp('ci-*').test('ci-deploy')).toBe(true)
    expect(globToRegExp('ci-*').test('xci-deploy')).toBe(false)
    expect(globToRegExp('run-??').test('run-42')).toBe(true)
    expect(globToRegExp('run-??').test('run-420')).toBe(false)
    expect(globToRegExp('a.b+(c)').test('a.b+(c)')).toBe(true)
    expect(globToRegExp('a.b').test('axb')).toBe(false)
    expect(globToRegExp('*').test('')).toBe(true)
  })
})

describe('matchesAuditFilter', () => {
  const now = START
  const token = (over: Partial<Token>): Token => ({
    id: 'x'.repeat(22),
    user_id: 'u'.repeat(22),
    customer_id: 'c'.repeat(22),
    name: 'ci-deploy',
    scope: 'purge_all global:read',
    services: [],
    created_at: new Date(now - 100 * DAY).toISOString(),
    expires_at: null,
    last_used_at: null,
    ...over
  })

  it('matches scopes among space-delimited ones, all of them when several are asked', () => {
    expect(matchesAuditFilter(token({}), { scope: 'purge_all' }, now)).toBe(true)
    expect(matchesAuditFilter(token({}), { scope: 'global:read purge_all' }, now)).toBe(true)
    expect(matchesAuditFilter(token({}), { scope: 'global' }, now)).toBe(false)
  })

  it('counts a never-used token as unused since its creation', () => {
    expect(matchesAuditFilter(token({}), { unusedForDays: 90 }, now)).toBe(true)
    expect(matchesAuditFilter(token({}), { unusedForDays: 101 }, now)).toBe(false)
    const usedYesterday = token({ last_used_at: new Date(now - DAY).toISOString() })
    expect(matchesAuditFilter(usedYesterday, { unusedForDays: 2 }, now)).toBe(false)
    expect(matchesAuditFilter(usedYesterday, { unusedForDays: 1 }, now)).toBe(true)
  })

  it('tells expired, expiring and everlasting tokens apart', () => {
    const expired = token({ expires_at: new Date(now - 1000).toISOString() })
    const later = token({ expires_at: new Date(now + DAY).toISOString() })
    const never = token({})
    expect([expired, later, never].map(t => matchesAuditFilter(t, { expired: true }, now))).toEqual([
      true,
      false,
      false
    ])
    expect([expired, later, never].map(t => matchesAuditFilter(t, { expired: false }, now))).toEqual([
      false,
      true,
      true
    ])
    expect([expired, later, never].map(t => matchesAuditFilter(t, { neverExpires: true }, now))).toEqual([
      false,
      false,
      true
    ])
    expect([expired, later, never].map(t => matchesAuditFilter(t, { neverExpires: false }, now))).toEqual([
      true,
      true,
      false
    ])
  })

  it('combines filters with AND; an empty filter matches everything', () => {
    expect(matchesAuditFilter(token({}), {}, now)).toBe(true)
    expect(
      matchesAuditFilter(token({}), { nameGlob: 'ci-*', createdBefore: new Date(now - 99 * DAY) }, now)
    ).toBe(true)
    expect(
      matchesAuditFilter(token({}), { nameGlob: 'ci-*', createdBefore: new Date(now - 101 * DAY) }, now)
    ).toBe(false)
  })
})

describe('auditTokens against the simulator', () => {
  let w: World
  const names: Record<string, string> = {}
  beforeAll(async () => {
    w = await startWorld()
    const add = (name: string, extra: Record<string, unknown>, user = DEMO) => {
      names[name] = w.sim.state.addToken({ user, name, ...extra }).id
    }
    add('ci-stale', { createdAt: START - 200 * DAY, lastUsedAt: START - 120 * DAY, scope: 'global' })
    add('ci-never-used', { createdAt: START - 40 * DAY, lastUsedAt: null, scope: 'purge_select' })
    add('ci-fresh', { createdAt: START - 2 * DAY, lastUsedAt: START - 3_600_000, expiresAt: START + DAY })
    add('laptop', { createdAt: START - 400 * DAY, expiresAt: START - DAY, scope: 'global:read' })
    add('admin-thing', { createdAt: START - 10 * DAY }, ADMIN)
  })
  afterAll(async () => {
    await w.close()
  })

  const ids = (r: { matches: Token[] }) => r.matches.map(t => t.name).sort()

  it('lists the caller’s tokens and applies each filter', async () => {
    const now = START
    const all = await auditTokens(w.client, {}, { now })
    // The responder's own token is listed too.
    expect(all.scanned).toBe(5)
    expect(ids(await auditTokens(w.client, { nameGlob: 'ci-*' }, { now }))).toEqual([
      'ci-fresh',
      'ci-never-used',
      'ci-stale'
    ])
    expect(ids(await auditTokens(w.client, { scope: 'global' }, { now }))).toEqual([
      'ci-fresh',
      'ci-stale',
      'responder'
    ])
    expect(ids(await auditTokens(w.client, { unusedForDays: 30, nameGlob: 'ci-*' }, { now }))).toEqual([
      'ci-never-used',
      'ci-stale'
    ])
    expect(ids(await auditTokens(w.client, { expired: true }, { now }))).toEqual(['laptop'])
    expect(ids(await auditTokens(w.client, { createdBefore: new Date(START - 100 * DAY) }, { now }))).toEqual(
      ['ci-stale', 'laptop']
    )
    expect(ids(await auditTokens(w.client, { neverExpires: false }, { now }))).toEqual(['ci-fresh', 'laptop'])
    expect(w.sim.state.requests().every(r => r.method === 'GET')).toBe(true)
  })

  it('audits the whole customer for a superuser', async () => {
    const admin = w.clientFor(w.sim.state.addToken({ user: ADMIN, name: 'auditor' }).access_token)
    const customerId = w.sim.state.users().find(u => u.email === ADMIN)!.customerId
    const r = await auditTokens(admin, { nameGlob: 'admin-*' }, { customerId, now: START })
    expect(ids(r)).toEqual(['admin-thing'])
    expect(r.scanned).toBeGreaterThanOrEqual(7)
  })

  it('refuses a filter that can only be a mistake before any request', async () => {
    const before = w.sim.state.requests().length
    await expect(auditTokens(w.client, { nameGlob: '' })).rejects.toThrow(/nameGlob/)
    await expect(auditTokens(w.client, { createdBefore: new Date('nope') })).rejects.toThrow(/createdBefore/)
    await expect(auditTokens(w.client, { unusedForDays: -1 })).rejects.toThrow(/unusedForDays/)
    expect(w.sim.state.requests().length).toBe(before)
  })
})
