/** The broker's pure parts: globs, token names, the budget without headers, the replay cache, audit lines. */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { AUDIT_CLAIMS, auditLine } from '../../src/broker/audit.js'
import { readConfig } from '../../src/broker/config-check.js'
import { compilePattern, isMatchAll } from '../../src/broker/glob.js'
import { decide } from '../../src/broker/policy.js'
import { FastlyBudget, RepositoryLimiter } from '../../src/broker/rate-limits.js'
import { ReplayCache } from '../../src/broker/replay-cache.js'
import { brokeredTokenName, MAX_TOKEN_NAME_LENGTH } from '../../src/broker/token-name.js'

describe('claim globs', () => {
  it.each([
    ['acme/*', 'acme/shop', true],
    ['acme/*', 'acmex/shop', false],
    ['acme/*', 'acme/', true],
    ['refs/pull/*/merge', 'refs/pull/7/merge', true],
    ['refs/pull/*/merge', 'refs/pull/7/merge2', false],
    ['v?.x', 'v1.x', true],
    ['v?.x', 'v12.x', false],
    ['a.b', 'aXb', false],
    ['(x)+', '(x)+', true]
  ])('%s against %s: %s', (pattern, value, expected) => {
    expect(compilePattern(pattern).matches(value)).toBe(expected)
  })

  it('a pattern without wildcards matches only itself, whatever characters it holds', () => {
    fc.assert(
      fc.property(
        fc.string().filter(s => !/[*?]/.test(s)),
        fc.string(),
        (pattern, other) => {
          const compiled = compilePattern(pattern)
          expect(compiled.matches(pattern)).toBe(true)
          if (other !== pattern) expect(compiled.matches(other)).toBe(false)
        }
      )
    )
  })

  it('only-wildcard patterns are the match-all ones', () => {
    expect(['*', '**', '?', '*?'].every(isMatchAll)).toBe(true)
    expect(['a*', '*a', ''].some(isMatchAll)).toBe(false)
  })
})

describe('token names', () => {
  it('are built from the claims, controls replaced and cut at the limit in the workflow part', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), workflow => {
        const name = brokeredTokenName({ repository: 'acme/shop', run_id: '9', run_attempt: '2', workflow })
        expect([...name].length).toBeLessThanOrEqual(MAX_TOKEN_NAME_LENGTH)
        expect(name.startsWith('gha/acme/shop/run-9-2/')).toBe(true)
        // eslint-disable-next-line no-control-regex -- checking for control characters
        expect(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.test(name)).toBe(false)
      })
    )
  })
})

describe('limits', () => {
  it('the Fastly budget allows everything while no answer reported it (headers may be missing)', () => {
    const budget = new FastlyBudget(10)
    budget.record(undefined)
    expect(budget.check(Date.now())).toEqual({ ok: true })
    budget.record({ remaining: 10, resetEpochSeconds: Math.floor(Date.now() / 1000) + 100 })
    expect(budget.check(Date.now()).ok).toBe(false)
    budget.record(undefined)
    expect(budget.check(Date.now()).ok).toBe(false)
    expect(budget.check(Date.now() + 101_000)).toEqual({ ok: true })
  })

  it('a repository window counts, gives back and resets', () => {
    const limiter = new RepositoryLimiter(1, 60_000)
    expect(limiter.take('a', 0).ok).toBe(true)
    expect(limiter.take('a', 1000)).toEqual({ ok: false, retryAfterS: 59 })
    limiter.giveBack('a')
    expect(limiter.take('a', 2000).ok).toBe(true)
    expect(limiter.take('a', 60_000).ok).toBe(true)
  })

  it('the replay cache holds a jti until its time, and refuses to grow past its size', () => {
    const cache = new ReplayCache(2)
    expect(cache.claim('a', 100, 0)).toBe('held')
    expect(cache.claim('a', 100, 50)).toBe('replayed')
    expect(cache.claim('b', 100, 0)).toBe('held')
    expect(cache.claim('c', 100, 0)).toBe('full')
    expect(cache.claim('c', 300, 100)).toBe('held')
    expect(cache.claim('a', 300, 100)).toBe('held')
  })
})

describe('audit lines', () => {
  it('are one line of JSON with only the listed claims, whatever the claims hold', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), fc.string(), (claims, workflow) => {
        const line = auditLine(
          { decision: 'allow', reason: 'minted', status: 200, claims: { ...claims, workflow } },
          new Date(0)
        )
        expect(line).not.toMatch(/[\n\r\u2028\u2029]/)
        const parsed = JSON.parse(line) as Record<string, unknown>
        expect(parsed.workflow).toBe(workflow)
        const allowed = ['time', 'decision', 'reason', 'status', ...AUDIT_CLAIMS] as string[]
        expect(Object.keys(parsed).every(k => allowed.includes(k))).toBe(true)
      })
    )
  })
})

describe('policy decisions', () => {
  const file = 'policies.yaml'
  const config = readConfig(
    {
      policies: [
        {
          name: 'deploy',
          claims: { repository: 'acme/shop', ref: 'refs/heads/main' },
          scope: ['global', 'purge_select'],
          services: ['S1', 'S2'],
          'max-expires-in': '30m'
        },
        { name: 'read', claims: { repository: 'acme/*' }, scope: 'global:read', 'max-expires-in': '5m' },
        { name: 'purge', claims: { ref: 'refs/tags/v?*' }, scope: ['purge_all'], services: ['S3'] }
      ]
    },
    file
  )
  const claims = fc.record({
    repository: fc.constantFrom('acme/shop', 'acme/web', 'evil/shop', 'acme/shop/x'),
    ref: fc.constantFrom('refs/heads/main', 'refs/tags/v1.2', 'refs/tags/v', 'refs/heads/dev')
  })
  const request = fc.record(
    {
      scopes: fc.uniqueArray(fc.constantFrom('global', 'purge_select', 'purge_all', 'global:read'), {
        minLength: 1
      }),
      services: fc.uniqueArray(fc.constantFrom('S1', 'S2', 'S3', 'S4'), { maxLength: 3 }),
      expiresInS: fc.integer({ min: 60, max: 7200 })
    },
    { requiredKeys: [] }
  )

  it('never grant beyond the policy they name, and name the part a refusal exceeds', () => {
    fc.assert(
      fc.property(claims, request, (who, asked) => {
        const decision = decide(config.policies, who, asked)
        const matching = config.policies.filter(p =>
          p.claims.every(c => c.pattern.matches(who[c.claim as 'ref']))
        )
        if (decision.ok) {
          const { policy, scopes, services, expiresInS } = decision.grant
          expect(matching).toContain(policy)
          expect(scopes.every(s => policy.scopes.includes(s))).toBe(true)
          if (policy.services !== undefined) {
            expect(services.length).toBeGreaterThan(0)
            expect(services.every(s => policy.services?.includes(s))).toBe(true)
          }
          expect(expiresInS).toBeLessThanOrEqual(policy.maxExpiresInS)
          if (asked.scopes) expect(scopes).toEqual(asked.scopes)
          if (asked.services) expect(services).toEqual(asked.services)
          if (asked.expiresInS) expect(expiresInS).toBe(asked.expiresInS)
        } else if (decision.reason === 'no_policy') {
          expect(matching).toEqual([])
        } else {
          expect(decision.policy).toBe(matching[0]?.name)
        }
      }),
      { numRuns: 500 }
    )
  })
})
