/**
 * Automation tokens (reference §5.3) end to end against the simulator: created with a JSON body
 * after sudo (a flat record, '' for unset dates), listed in pages, read by id, visible to
 * GET /tokens/{id} but not to the user's list, and a leaked one planned, revoked and verified by
 * the engine like any other id.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { FastlyApiError, FastlyTokensClient, revokeMany } from '../../src/index.js'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'

const ADMIN = 'admin@example.com'
let sim: Simulator | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function world() {
  sim = await startSimulator({ seed: 5 })
  const admin = sim.state.addToken({ user: ADMIN, scope: 'global', name: 'responder' })
  const client = new FastlyTokensClient({ baseUrl: sim.url, apiToken: admin.access_token, env: {} })
  return { sim, client, admin }
}

describe('automation tokens', () => {
  it('are created after sudo, flat, with empty strings for unset dates', async () => {
    const { client, sim } = await world()
    const created = await client.createAutomationToken({
      password: 'admin-password',
      name: 'deploy-bot',
      role: 'engineer'
    })
    expect(created).toMatchObject({ name: 'deploy-bot', role: 'engineer', last_used_at: '', expires_at: '' })
    expect(created.access_token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    const posts = sim.state.requests().filter(r => r.method === 'POST')
    expect(posts.map(r => r.path)).toEqual(['/sudo', '/automation-tokens'])
    expect(await client.getAutomationToken(created.id)).toMatchObject({ id: created.id, expires_at: '' })
    // GET /tokens/{id} shows it, the person's own list does not.
    expect((await client.getToken(created.id)).id).toBe(created.id)
    expect((await client.listTokensUser()).some(t => t.id === created.id)).toBe(false)
    // It authenticates as itself.
    const bot = client.withToken(created.access_token)
    expect((await bot.getTokenCurrent()).id).toBe(created.id)
    await bot.close()
    await client.close()
  })

  it('are listed across every page', async () => {
    const { client, sim } = await world()
    for (let i = 0; i < 103; i++)
      await client.createAutomationToken({ password: 'admin-password', name: `bot-${i}`, role: 'user' })
    const all = await client.listAutomationTokens()
    expect(all.map(t => t.name)).toEqual(Array.from({ length: 103 }, (_, i) => `bot-${i}`))
    const pages = sim.state
      .requests()
      .filter(r => r.method === 'GET' && r.path.startsWith('/automation-tokens'))
    expect(pages).toHaveLength(2)
    await client.close()
  })

  it('a leaked one is planned, revoked and verified by the engine like any id', async () => {
    const { client, sim } = await world()
    const bot = await client.createAutomationToken({
      password: 'admin-password',
      name: 'leaked-bot',
      role: 'engineer'
    })
    const report = await revokeMany(client, [bot.id])
    expect(report.outcomes).toMatchObject([
      { id: bot.id, outcome: 'revoked', verified: true, name: 'leaked-bot' }
    ])
    expect(sim.state.token(bot.id)).toBeUndefined()
    const gone = await client.getAutomationToken(bot.id).catch((e: unknown) => e)
    expect((gone as FastlyApiError).status).toBe(404)
    await client.close()
  })

  it('are a superuser matter: a user is refused', async () => {
    sim = await startSimulator({ seed: 6 })
    const user = sim.state.addToken({ user: 'demo@example.com', scope: 'global' })
    const client = new FastlyTokensClient({ baseUrl: sim.url, apiToken: user.access_token, env: {} })
    const error = await client.listAutomationTokens().catch((e: unknown) => e)
    expect((error as FastlyApiError).status).toBe(403)
    await client.close()
  })
})
