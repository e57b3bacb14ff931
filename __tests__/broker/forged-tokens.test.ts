/**
 * The forged-token matrix: every ID token that is wrong in one way is refused with 401 and the
 * check's own code, and the simulator receives no mint at all. Each case starts from a claim set
 * that would be allowed, so the one defect is the only reason for the refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { OidcIssuer } from '../support/oidc-issuer.js'
import { BrokerWorld } from './world.js'

let world: BrokerWorld
beforeAll(async () => {
  world = await BrokerWorld.start()
  // Warm the key cache, so the unknown-kid case below shows its own refetch.
  expect((await world.mint()).status).toBe(200)
})
afterAll(() => world.close())

const now = () => Math.floor(Date.now() / 1000)

type Forgery = (issuer: OidcIssuer) => Promise<string> | string

const FORGED: [string, Forgery, string][] = [
  ['alg none', i => i.forge.algNone(i.claims()), 'token_algorithm'],
  ['HS256 keyed with the public key', i => i.forge.hmacWithPublicKey(i.claims()), 'token_algorithm'],
  ['another key under the published kid', i => i.forge.otherKeySameKid(i.claims()), 'token_signature'],
  ['an unknown kid', i => i.forge.unknownKid(i.claims()), 'token_unknown_key'],
  ['a wrong issuer', i => i.idToken({ iss: 'https://token.actions.githubusercontent.com' }), 'token_issuer'],
  ['a wrong audience', i => i.idToken({ aud: 'sts.amazonaws.com' }), 'token_audience'],
  [
    'an audience list holding the broker and another',
    i => i.idToken({ aud: ['fastly-token-broker', 'x'] }),
    'token_audience'
  ],
  [
    'expired beyond the 60 s skew',
    i => i.idToken({ iat: now() - 400, nbf: now() - 400, exp: now() - 61 }),
    'token_expired'
  ],
  ['not valid for 2 more minutes', i => i.idToken({ nbf: now() + 120 }), 'token_not_yet_valid'],
  ['issued 2 minutes in the future', i => i.idToken({ iat: now() + 120, nbf: now() }), 'token_not_yet_valid'],
  ['living longer than an hour', i => i.idToken({ exp: now() + 7200 }), 'token_claims'],
  [
    'a tampered payload (repository changed after signing)',
    i => i.forge.tamperedPayload(i.claims({ repository: 'acme/other' }), { repository: 'acme/shop' }),
    'token_signature'
  ],
  [
    'a signature cut off',
    async i => (await i.idToken()).split('.').slice(0, 2).join('.') + '.',
    'token_signature'
  ],
  ['not a JWT at all', () => 'not-a-jwt', 'token_malformed'],
  [
    'an oversized token (7 KiB of claims, over 8 KiB encoded)',
    i => i.idToken({ padding: 'x'.repeat(7 * 1024) }),
    'token_too_large'
  ],
  ...(['jti', 'repository', 'run_id', 'run_attempt', 'workflow', 'exp', 'iat', 'iss', 'aud'].map(claim => [
    `no ${claim} claim`,
    (i: OidcIssuer) => i.idToken({ [claim]: undefined }),
    'token_claims'
  ]) as [string, Forgery, string][]),
  ['a numeric run_id', i => i.idToken({ run_id: 42 }), 'token_claims']
]

describe('forged and defective ID tokens', () => {
  it.each(FORGED)('refuses %s with 401 and mints nothing', async (_name, forge, code) => {
    const mintsBefore = world.mintRequests().length
    const liveBefore = world.liveTokens().length
    const token = await forge(world.issuer)
    const answer = await world.post(`Bearer ${token}`)
    expect(answer.status).toBe(401)
    expect(answer.json.error).toBe(code)
    expect(answer.headers.get('www-authenticate')).toBe('Bearer')
    expect(JSON.stringify(answer.json)).not.toContain(token.slice(0, 40))
    expect(world.mintRequests()).toHaveLength(mintsBefore)
    expect(world.liveTokens()).toHaveLength(liveBefore)
    const last = JSON.parse(world.audit.at(-1) as string) as Record<string, unknown>
    expect(last).toMatchObject({ decision: 'deny', reason: code, status: 401 })
    // A refused token's claims are not trusted, so none reaches the audit log.
    expect(last).not.toHaveProperty('repository')
  })

  it.each([
    ['no Authorization header', undefined, 'missing_token'],
    ['Basic credentials', 'Basic ZGVtbzpwYXNz', 'missing_token'],
    ['an empty bearer', 'Bearer ', 'missing_token']
  ])('refuses %s with 401', async (_name, header, code) => {
    const mintsBefore = world.mintRequests().length
    const answer = await world.post(header)
    expect(answer.status).toBe(401)
    expect(answer.json.error).toBe(code)
    expect(world.mintRequests()).toHaveLength(mintsBefore)
  })

  it('accepts a token expired by less than the 60 s skew', async () => {
    const answer = await world.mint({ iat: now() - 300, nbf: now() - 300, exp: now() - 20 })
    expect(answer.status).toBe(200)
  })

  it('refuses a replayed jti: one mint per ID token', async () => {
    const mintsBefore = world.mintRequests().length
    const token = await world.issuer.idToken()
    const first = await world.post(`Bearer ${token}`)
    const second = await world.post(`Bearer ${token}`)
    expect(first.status).toBe(200)
    expect(second.status).toBe(401)
    expect(second.json.error).toBe('token_replayed')
    expect(world.mintRequests()).toHaveLength(mintsBefore + 1)
  })

  it('refetches the JWKS for an unknown kid at most once a minute, and trusts a key published since', async () => {
    // A world of its own: the matrix above already spent this minute's refetch.
    const fresh = await BrokerWorld.start()
    try {
      await checkRefetch(fresh)
    } finally {
      await fresh.close()
    }
  })
})

async function checkRefetch(world: BrokerWorld): Promise<void> {
  expect((await world.mint()).status).toBe(200)
  {
    const fetches = () => world.issuer.requests.filter(r => r.url === '/.well-known/jwks').length
    const before = fetches()
    // A new key within a minute of the last fetch: not fetched yet, so refused.
    await world.issuer.rotate()
    expect((await world.mint()).json.error).toBe('token_unknown_key')
    expect(fetches()).toBe(before)
    // A minute later the unknown kid is worth one refetch, and the token verifies.
    world.advance(61_000)
    expect((await world.mint()).status).toBe(200)
    expect(fetches()).toBe(before + 1)
    // Unknown kids right after: refused without asking the issuer again.
    for (let i = 0; i < 3; i++) {
      const answer = await world.post(`Bearer ${await world.issuer.forge.unknownKid(world.issuer.claims())}`)
      expect(answer.json.error).toBe('token_unknown_key')
    }
    expect(fetches()).toBe(before + 1)
  }
}
