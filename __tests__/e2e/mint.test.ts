/**
 * The main + post lifecycle as a runner runs it: dist/main then dist/post as child processes with
 * INPUT_* variables and runner files, against the simulator over HTTP. Each scenario also runs with
 * step debug logging on, and ends with the leak check.
 */
import { describe, it, expect } from '@jest/globals'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { totp } from '../../src/client/index.js'
import {
  DEMO,
  TOKEN_HOMES,
  assertNoLeak,
  logLines,
  messages,
  runJob,
  runStep,
  withSimulator
} from './harness.js'

const CONTEXT_NAME = 'gha/octo-org/octo-repo/run-4242-1/deploy'

describe.each([false, true])('mint and revoke (step debug %s)', debug => {
  it('mints, masks, verifies, outputs, exports, and revokes in post', () =>
    withSimulator({}, async sim => {
      const inputs = {
        username: DEMO.user,
        password: DEMO.password,
        'api-url': sim.url,
        services: 'svcDeploy0000000000001'
      }
      const main = await runStep({ step: 'main', debug, inputs })
      expect(main.exitCode).toBe(0)
      const token = main.outputs.token!
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/)
      expect(main.outputs['token-id']).toMatch(/^[A-Za-z0-9]{21,22}$/)
      expect(main.outputs.scope).toBe('global:read')
      expect(Date.parse(main.outputs['expires-at']!) - Date.now()).toBeGreaterThan(55 * 60_000)
      expect(main.env.FASTLY_API_TOKEN).toBe(token)
      expect(main.state).toMatchObject({
        token,
        'token-id': main.outputs['token-id'],
        revoke: 'true',
        'api-url': sim.url
      })
      // The mask is the first thing the step prints about the token.
      const firstMention = main.commands.findIndex(c => c.raw.includes(token))
      expect(main.commands[firstMention]?.command).toBe('add-mask')
      const live = sim.state.findByAccessToken(token)
      expect(live).toMatchObject({
        name: CONTEXT_NAME,
        scope: 'global:read',
        services: ['svcDeploy0000000000001']
      })
      expect(main.summary).toContain(`Minted \`${CONTEXT_NAME}\``)
      expect(main.log).not.toContain(token)
      if (debug) expect(messages(main, 'debug').length).toBeGreaterThan(0)

      const post = await runStep({ step: 'post', debug, inputs, state: main.state })

      expect(post.exitCode).toBe(0)
      expect(logLines(post)).toContain(
        `Revoked token ${main.outputs['token-id']} (DELETE /tokens/self with the token itself)`
      )
      expect(post.summary).toContain('**Fastly token (post step):** Revoked token')
      expect(sim.state.findByAccessToken(token)).toBeUndefined()
      const secrets = { token, password: DEMO.password }
      assertNoLeak(main, secrets, { token: TOKEN_HOMES })
      assertNoLeak(post, secrets, { token: TOKEN_HOMES })
    }))

  it('mints for a 2FA account with the TOTP code it computes itself', () =>
    withSimulator({}, async sim => {
      const started = Date.now()
      const { main, post } = await runJob({
        debug,
        inputs: {
          username: DEMO.twoFactorUser,
          password: DEMO.twoFactorPassword,
          'totp-secret': DEMO.totpSecret.toLowerCase(),
          scope: 'purge_select',
          'expires-in': '15m',
          'api-url': sim.url
        }
      })
      expect(main.exitCode).toBe(0)
      expect(main.outputs.scope).toBe('purge_select')
      const sent = sim.state.requests().find(r => r.method === 'POST' && r.path === '/tokens')
      expect(sent?.headers['fastly-otp']).toBe('[redacted]')
      expect(post.exitCode).toBe(0)
      expect(sim.state.findByAccessToken(main.outputs.token!)).toBeUndefined()
      // Every code the step could have computed is a secret too.
      const codes: Record<string, string> = {}
      for (let t = started - 30_000; t <= Date.now() + 30_000; t += 30_000)
        codes[`otp@${t}`] = totp(DEMO.totpSecret, t)
      const secrets = {
        token: main.outputs.token,
        password: DEMO.twoFactorPassword,
        'totp-secret': DEMO.totpSecret,
        ...codes
      }
      assertNoLeak(main, secrets, { token: TOKEN_HOMES })
      assertNoLeak(post, secrets, { token: TOKEN_HOMES })
    }))

  it('mints through the sudo flow with api-token and password', () =>
    withSimulator({}, async sim => {
      const admin = sim.state.addToken({ user: DEMO.user, name: 'ci-admin', scope: 'global' })
      const { main, post } = await runJob({
        debug,
        inputs: {
          'api-token': admin.access_token,
          password: DEMO.password,
          scope: 'global',
          'api-url': sim.url
        }
      })
      expect(main.exitCode).toBe(0)
      const routes = sim.state.requests().map(r => `${r.method} ${r.path}`)
      expect(routes.slice(0, 3)).toEqual(['POST /sudo', 'POST /tokens', 'GET /tokens/self'])
      expect(sim.state.findByAccessToken(main.outputs.token!)).toBeUndefined()
      expect(sim.state.token(admin.id)).toBeDefined()
      expect(post.exitCode).toBe(0)
      const secrets = { token: main.outputs.token, password: DEMO.password, 'api-token': admin.access_token }
      assertNoLeak(main, secrets, { token: TOKEN_HOMES })
      assertNoLeak(post, secrets, { token: TOKEN_HOMES })
    }))

  it('fails before any request on bad input, and post has nothing to do', () =>
    withSimulator({}, async sim => {
      const { main, post } = await runJob({
        debug,
        inputs: { username: DEMO.user, password: DEMO.password, 'expires-in': 'soon', 'api-url': sim.url }
      })
      expect(main.exitCode).toBe(1)
      expect(messages(main, 'error')).toEqual([
        'input "expires-in": "soon" is not a duration like 15m, 1h, 90m or 1h30m\nNo request was sent.'
      ])
      expect(sim.state.requests()).toEqual([])
      expect(post.exitCode).toBe(0)
      expect(logLines(post)).toEqual(['Nothing to revoke: the main step minted no token'])
      assertNoLeak(main, { password: DEMO.password })
      assertNoLeak(post, { password: DEMO.password })
    }))

  it('fails with the API message on a wrong password, minting nothing', () =>
    withSimulator({}, async sim => {
      const { main, post } = await runJob({
        debug,
        inputs: { username: DEMO.user, password: 'wrong-password', 'api-url': sim.url }
      })
      expect(main.exitCode).toBe(1)
      const [error] = messages(main, 'error')
      expect(error).toMatch(/^Fastly API POST \/tokens answered 4\d\d .*Invalid username or password/)
      expect(sim.state.tokens()).toEqual([])
      expect(main.outputs).toEqual({})
      expect(main.summary).toContain('The step failed: Fastly API POST /tokens answered')
      expect(post.exitCode).toBe(0)
      assertNoLeak(main, { password: 'wrong-password' })
    }))
})

/** A pass-through proxy that rewrites the scope GET /tokens/self reports: an API that minted something else. */
async function scopeRewritingProxy(
  target: string
): Promise<{ url: string; server: Server; minted: string[] }> {
  const upstream = new URL(target)
  const minted: string[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers
        },
        answer => {
          const body: Buffer[] = []
          answer.on('data', c => body.push(c))
          answer.on('end', () => {
            let text = Buffer.concat(body).toString('utf8')
            if (req.method === 'GET' && req.url === '/tokens/self')
              text = text.replace('"scope":"global:read"', '"scope":"global"')
            if (req.method === 'POST' && req.url === '/tokens' && answer.statusCode === 200)
              minted.push(JSON.parse(text).access_token)
            const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(text)) }
            res.writeHead(answer.statusCode ?? 502, headers)
            res.end(text)
          })
        }
      )
      forward.end(Buffer.concat(chunks))
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, minted }
}

it('tells a 2FA account without totp-secret or otp what to set', () =>
  withSimulator({}, async sim => {
    const main = await runStep({
      step: 'main',
      inputs: { username: DEMO.twoFactorUser, password: DEMO.twoFactorPassword, 'api-url': sim.url }
    })
    expect(main.exitCode).toBe(1)
    expect(messages(main, 'error')[0]).toMatch(
      /^Fastly API POST \/tokens answered 400: the account uses two-factor authentication; set totp-secret \(the authenticator's base32 secret\) or otp$/
    )
    expect(sim.state.tokens()).toEqual([])
    assertNoLeak(main, { password: DEMO.twoFactorPassword })
  }))

describe('verification', () => {
  it('refuses a token that came back different from the request, revoking it before failing', () =>
    withSimulator({}, async sim => {
      const proxy = await scopeRewritingProxy(sim.url)
      try {
        const { main, post } = await runJob({
          inputs: { username: DEMO.user, password: DEMO.password, 'api-url': proxy.url }
        })
        expect(main.exitCode).toBe(1)
        const [error] = messages(main, 'error')
        expect(error).toMatch(
          /is not what was asked for: scope is "global", asked for "global:read"\. The action revoked it again\.$/
        )
        expect(main.outputs.token).toBeUndefined()
        expect(main.env).toEqual({})
        expect(sim.state.tokens()).toEqual([])
        expect(post.exitCode).toBe(0)
        expect(logLines(post)[0]).toMatch(/^Nothing to revoke: the main step already revoked token \w+$/)
        expect(proxy.minted).toHaveLength(1)
        // The token sat in state until main revoked it (post must not find it there any more).
        assertNoLeak(main, { password: DEMO.password, token: proxy.minted[0] }, { token: TOKEN_HOMES })
        assertNoLeak(post, { password: DEMO.password, token: proxy.minted[0] })
      } finally {
        await new Promise(resolve => proxy.server.close(resolve))
      }
    }))
})
