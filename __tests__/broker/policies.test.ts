/**
 * The policy matrix: each claim a policy lists decides on its own, globs match whole values only,
 * and a request beyond the matching policies is refused naming the part (scope, services or
 * lifetime), never narrowed. Every refusal leaves the simulator without a mint.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { BrokerWorld, OTHER_SERVICE, SERVICE } from './world.js'

let world: BrokerWorld
beforeAll(async () => {
  world = await BrokerWorld.start()
})
afterAll(() => world.close())

/** The claims of a pull request preview job of acme/web. */
const PREVIEW = {
  repository: 'acme/web',
  ref: 'refs/pull/12/merge',
  event_name: 'pull_request',
  environment: undefined
}

async function refused(claims: Record<string, unknown>, body: unknown, status: number, code: string) {
  const mintsBefore = world.mintRequests().length
  const answer = await world.mint(claims, body)
  expect(answer.status).toBe(status)
  expect(answer.json.error).toBe(code)
  expect(typeof answer.json.message).toBe('string')
  expect(world.mintRequests()).toHaveLength(mintsBefore)
  return answer
}

describe('which policy matches', () => {
  it.each([
    ['ref', { ref: 'refs/heads/feature' }],
    ['environment', { environment: 'staging' }],
    ['environment missing', { environment: undefined }]
  ])(
    'a deploy-production identity with another %s falls back to shop-read, which grants only global:read',
    async (_n, claims) => {
      // deploy-production no longer matches; shop-read (repository only) does, so its scope bounds the request.
      const answer = await refused(claims, { scope: 'purge_select' }, 403, 'policy_scope')
      expect(answer.json.message).toMatch(/shop-read/)
    }
  )

  it.each([
    ['another owner', { ...PREVIEW, repository: 'evil/web' }],
    ['a deploy identity of another repository', { repository: 'acme/shop-fork' }],
    ['a prefix of the glob only (acmex/web for acme/*)', { ...PREVIEW, repository: 'acmex/web' }],
    ['a push instead of a pull request', { ...PREVIEW, event_name: 'pull_request_target' }],
    ['a branch ref instead of a pull ref', { ...PREVIEW, ref: 'refs/heads/main' }],
    ['a pull ref with a suffix', { ...PREVIEW, ref: 'refs/pull/12/head' }]
  ])('no policy matches %s: 403 no_policy', async (_n, claims) => {
    await refused(claims, {}, 403, 'no_policy')
  })

  it('a glob matches across the value: acme/* and refs/pull/*/merge', async () => {
    const answer = await world.mint(PREVIEW)
    expect(answer.status).toBe(200)
    expect(answer.json).toMatchObject({ policy: 'preview', scope: 'purge_select', services: [] })
  })

  it('when several policies match, the first the request fits is used and named', async () => {
    const wide = await world.mint({}, {})
    expect(wide.json.policy).toBe('deploy-production')
    const read = await world.mint({}, { scope: 'global:read', expires_in: 120 })
    expect(read.status).toBe(200)
    expect(read.json).toMatchObject({ policy: 'shop-read', scope: 'global:read', services: [] })
    const audit = JSON.parse(world.audit.at(-1) as string) as Record<string, unknown>
    expect(audit).toMatchObject({ decision: 'allow', policy: 'shop-read', token_id: read.json.id })
  })
})

describe('requests beyond the matching policy', () => {
  it.each([
    ['a scope it does not grant', { scope: 'purge_all' }, 'policy_scope'],
    ['a scope beside granted ones', { scope: 'purge_select purge_all' }, 'policy_scope'],
    // With purge_select, which shop-read does not grant, only deploy-production can fit.
    ['a service it does not grant', { scope: 'purge_select', services: [OTHER_SERVICE] }, 'policy_services'],
    [
      'a granted service and another',
      { scope: 'purge_select', services: [SERVICE, OTHER_SERVICE] },
      'policy_services'
    ],
    ['every service (an empty list)', { scope: 'purge_select', services: [] }, 'policy_services'],
    ['a longer lifetime than 30m', { expires_in: 1801 }, 'policy_lifetime']
  ])('refuses %s with 403 %s', async (_n, body, code) => {
    // shop-read matches too but grants less still, so the refusal names deploy-production's bound.
    const answer = await refused({}, body, 403, code)
    expect(answer.json.message).toMatch(/deploy-production/)
  })

  it('a request another matching policy fits is granted under that one (global:read for any service)', async () => {
    const answer = await world.mint({}, { services: [OTHER_SERVICE] })
    expect(answer.json).toMatchObject({
      policy: 'shop-read',
      scope: 'global:read',
      services: [OTHER_SERVICE]
    })
  })

  it('grants exactly the lifetime asked within the bound', async () => {
    const answer = await world.mint({}, { expires_in: 1800 })
    expect(answer.status).toBe(200)
    const lifetime = Date.parse(answer.json.expires_at as string) - Date.now()
    expect(lifetime).toBeGreaterThan(1790_000)
    expect(lifetime).toBeLessThanOrEqual(1800_000)
  })

  it.each([
    ['an unknown field', { scopes: 'purge_select' }],
    ['an unknown scope', { scope: 'admin' }],
    ['a numeric scope', { scope: 5 }],
    ['services as a string', { services: SERVICE }],
    ['a service id with a slash', { services: ['a/b'] }],
    ['a fractional lifetime', { expires_in: 90.5 }],
    ['a lifetime under a minute', { expires_in: 30 }],
    ['a lifetime as text', { expires_in: '15m' }],
    ['an array body', [1]],
    ['not JSON', '{"scope":']
  ])('refuses a body with %s as 400 bad_request', async (_n, body) => {
    await refused({}, body, 400, 'bad_request')
  })
})
