/**
 * Which listed token can only be the one a lost POST /tokens answer minted (pure logic; the whole
 * step against the simulator is in __tests__/hardening/action-faults.test.ts), and which create
 * failures count as "may have minted".
 */
import { describe, expect, it } from '@jest/globals'
import { FastlyApiError, RateLimitError } from '../../src/client/index.js'
import type { MintConfig } from '../../src/action/mint-inputs.js'
import { CREATED_SKEW_MS, isUnansweredMint, lostTokenCandidates } from '../../src/action/unanswered-mint.js'
import type { Token } from '../../src/types.js'

const SENT = Date.UTC(2026, 0, 1, 12, 0, 0)
const EXPIRES = '2026-01-01T13:00:00Z'
const CONFIG: MintConfig = {
  password: 'pw',
  name: 'gha/o/r/run-1-1/deploy',
  scope: 'purge_select global:read',
  services: ['svcA', 'svcB'],
  expiresInMs: 3_600_000
}
const MINT = {
  name: CONFIG.name,
  scope: CONFIG.scope,
  services: CONFIG.services,
  expiresAt: EXPIRES,
  sentAt: SENT
}

function token(overrides: Partial<Token> = {}): Token {
  return {
    id: 'lostTokenId0000000000A',
    user_id: 'u',
    customer_id: 'c',
    name: CONFIG.name,
    scope: 'global:read purge_select',
    services: ['svcB', 'svcA'],
    created_at: '2026-01-01T12:00:01Z',
    expires_at: EXPIRES,
    last_used_at: null,
    ...overrides
  }
}

describe('lostTokenCandidates', () => {
  const now = SENT + 5_000

  it('the token the request asked for, never used, created after it left, is the candidate', () => {
    expect(lostTokenCandidates(MINT, [token()], now).map(t => t.id)).toEqual(['lostTokenId0000000000A'])
  })

  it.each<[string, Partial<Token>]>([
    ['another name', { name: `${CONFIG.name}-2` }],
    ['a name differing only in case', { name: CONFIG.name.toUpperCase() }],
    ['another scope', { scope: 'global' }],
    ['other services', { services: ['svcA'] }],
    ['all services', { services: [] }],
    ['another expiry', { expires_at: '2026-01-01T14:00:00Z' }],
    ['no expiry', { expires_at: null }],
    [
      'created before the request left (beyond the clock skew)',
      { created_at: new Date(SENT - CREATED_SKEW_MS - 1000).toISOString() }
    ],
    [
      'created in the future (beyond the skew)',
      { created_at: new Date(now + CREATED_SKEW_MS + 1000).toISOString() }
    ],
    [
      'already used: someone holds its value (e.g. a sibling matrix job)',
      { last_used_at: '2026-01-01T12:00:02Z' }
    ]
  ])('not %s', (_label, overrides) => {
    expect(lostTokenCandidates(MINT, [token(overrides)], now)).toEqual([])
  })

  it('within the clock skew either side, and an expiry within the API tolerance, still fits', () => {
    const tokens = [
      token({ id: 'a'.repeat(22), created_at: new Date(SENT - CREATED_SKEW_MS + 1000).toISOString() }),
      token({ id: 'b'.repeat(22), expires_at: '2026-01-01T13:00:30Z' })
    ]
    expect(lostTokenCandidates(MINT, tokens, now)).toHaveLength(2)
  })

  it('a missing last_used_at counts as never used', () => {
    const { last_used_at: _unused, ...rest } = token()
    expect(lostTokenCandidates(MINT, [rest as Token], now)).toHaveLength(1)
  })
})

describe('isUnansweredMint', () => {
  const create = (fields: Partial<ConstructorParameters<typeof FastlyApiError>[1]>) =>
    new FastlyApiError('x', { method: 'POST', path: '/tokens', ...fields })

  it.each<[string, FastlyApiError, boolean]>([
    ['a 503', create({ status: 503 }), true],
    ['a 200 whose body was unreadable', create({ status: 200, code: 'invalid_response' }), true],
    ['a connection reset after sending', create({ code: 'ECONNRESET', attempts: 1 }), true],
    ['a timeout', create({ code: 'timeout', attempts: 1 }), true],
    ['a refused connection (nothing sent)', create({ code: 'ECONNREFUSED', attempts: 4 }), false],
    ['a 400 (refused)', create({ status: 400, code: 'invalid_grant' }), false],
    [
      'a 429 (refused)',
      new RateLimitError('x', { method: 'POST', path: '/tokens', status: 429, resetAt: new Date(0) }),
      false
    ],
    ['a 503 on POST /sudo (no token is minted there)', create({ status: 503, path: '/sudo' }), false],
    ['a 503 on another call', create({ status: 503, method: 'DELETE', path: '/tokens' }), false]
  ])('%s', (_label, error, expected) => {
    expect(isUnansweredMint(error)).toBe(expected)
  })

  it('anything that is not an API error is not', () => {
    expect(isUnansweredMint(new Error('boom'))).toBe(false)
  })
})
