/**
 * Credentials stay with the endpoint they were configured for:
 * - a redirect is never followed with them: not by the client's write calls (the password in the
 *   create form, the Fastly-Key with the sudo password, a bulk revoke), which the client's own tests
 *   do not cover (they cover GET), and not end to end through the action's api-url, in main or post;
 * - plain http to a host that is not loopback is refused before anything is attempted: no request,
 *   no DNS lookup, no proxy tunnel. Shown with a dispatcher that records every dispatch, and end to
 *   end with HTTP(S)_PROXY pointing at a recorder, which sees the attempt of an allowed URL (the
 *   control) and nothing for a refused one.
 */
import { afterEach, describe, it, expect } from '@jest/globals'
import { Dispatcher } from 'undici'
import { FastlyApiError, FastlyTokensClient, InsecureEndpointError } from '../../src/client/index.js'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { runStep, type StepResult } from './support/scanned-run.js'
import { artifactsOf, findLeaks, TOKEN_HOMES, type Secrets } from './support/leak-scan.js'
import { startFront, startRecorder, type LoopbackServer } from './support/loopback.js'

const API_TOKEN = 'apiKey_SecretValue-0123456789abcd'
const PASSWORD = 'demo-password'
const DEMO = 'demo@example.com'

const opened: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close()
})

async function recorder(): Promise<LoopbackServer> {
  const r = await startRecorder()
  opened.push(r)
  return r
}

function expectSilentRecorder(r: LoopbackServer): void {
  expect(r.seen.map(s => `${s.method} ${s.url}`)).toEqual([])
}

function errorLines(step: StepResult): string[] {
  return step.commands.filter(c => c.command === 'error').map(c => c.message)
}

function expectNoLeak(step: StepResult, secrets: Secrets): void {
  expect(findLeaks(artifactsOf(step), secrets)).toEqual([])
}

describe('the client follows no redirect with credentials (write calls)', () => {
  it.each<[string, 307 | 308 | 302, (c: FastlyTokensClient) => Promise<unknown>, string]>([
    [
      'POST /tokens with username and password',
      307,
      c => c.createToken({ username: DEMO, password: PASSWORD }),
      'POST /tokens'
    ],
    [
      'POST /sudo with Fastly-Key and password',
      308,
      c => c.createToken({ password: PASSWORD }),
      'POST /sudo'
    ],
    ['DELETE /tokens (bulk)', 307, c => c.bulkRevokeTokens(['tokenId000000000000001']), 'DELETE /tokens'],
    ['DELETE /tokens/self', 302, c => c.revokeTokenCurrent(), 'DELETE /tokens/self']
  ])(
    '%s: an error naming the redirect, and the other host sees nothing',
    async (_label, status, call, route) => {
      const elsewhere = await recorder()
      const front = await startFront(elsewhere.url, { '*': { redirectTo: elsewhere.url, status } })
      opened.push(front)
      const client = new FastlyTokensClient({
        baseUrl: front.url,
        apiToken: API_TOKEN,
        env: {},
        retry: { sleep: async () => {} }
      })
      opened.push(client)
      const error = await call(client).then(
        () => undefined,
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(FastlyApiError)
      const failure = error as FastlyApiError
      expect(failure.code).toBe('redirect')
      expect(failure.status).toBe(status)
      expect(failure.message).toContain(`${route} answered ${status}`)
      expect(failure.message).toContain(`redirect to ${elsewhere.url} not followed`)
      expect(`${failure.message} ${failure.stack}`).not.toContain(PASSWORD)
      expect(`${failure.message} ${failure.stack}`).not.toContain(API_TOKEN)
      // One request, to the configured endpoint only: a redirect is neither followed nor retried.
      expect(front.seen.map(s => `${s.method} ${s.url}`)).toEqual([route])
      expectSilentRecorder(elsewhere)
    }
  )
})

/** A dispatcher that records every request it is asked to send, and sends none. */
class RecordingDispatcher extends Dispatcher {
  readonly dispatched: string[] = []
  override dispatch(options: Dispatcher.DispatchOptions): boolean {
    this.dispatched.push(`${options.method} ${String(options.origin)}${options.path}`)
    throw new Error('the recording dispatcher sends nothing')
  }
}

describe('plain http to a host that is not loopback', () => {
  it.each([
    ['http://api.fastly.com', {}],
    ['http://10.0.0.1:8080/fastly', {}],
    ['http://127.0.0.1.nip.io', {}],
    ['http://[::ffff:7f00:1]', {}],
    [undefined, { FASTLY_API_ENDPOINT: 'http://api.fastly.com' }]
  ])('%s %j: InsecureEndpointError from the constructor, nothing dispatched', (baseUrl, env) => {
    const dispatcher = new RecordingDispatcher()
    let thrown: unknown
    try {
      new FastlyTokensClient({ ...(baseUrl ? { baseUrl } : {}), apiToken: API_TOKEN, env, dispatcher })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(InsecureEndpointError)
    expect(String((thrown as Error).message)).not.toContain(API_TOKEN)
    expect(dispatcher.dispatched).toEqual([])
  })

  it('the recording dispatcher does see the requests of an allowed endpoint (the control)', async () => {
    const dispatcher = new RecordingDispatcher()
    const client = new FastlyTokensClient({
      baseUrl: 'https://api.fastly.invalid',
      apiToken: API_TOKEN,
      env: {},
      dispatcher,
      retry: { maxAttempts: 1 }
    })
    await expect(client.getTokenCurrent()).rejects.toBeInstanceOf(FastlyApiError)
    expect(dispatcher.dispatched).toEqual(['GET https://api.fastly.invalid/tokens/self'])
  })
})

/** Both proxy variables at the recorder: any attempt to reach a remote host goes to it first. */
function viaRecorder(r: LoopbackServer): Record<string, string> {
  return { HTTPS_PROXY: r.url, HTTP_PROXY: r.url, https_proxy: r.url, http_proxy: r.url }
}

describe('end to end: the action with a hostile or insecure api-url (step debug on)', () => {
  it.each(['http://api.fastly.com', 'http://10.0.0.1:8080', 'http://localhost.example.com'])(
    'api-url %s: refused as bad input, and nothing leaves the machine',
    async apiUrl => {
      const proxy = await recorder()
      const main = await runStep({
        step: 'main',
        debug: true,
        inputs: { username: DEMO, password: PASSWORD, 'api-url': apiUrl },
        env: viaRecorder(proxy)
      })
      expect(main.exitCode).toBe(1)
      expect(errorLines(main)).toEqual([
        expect.stringMatching(
          /^input "api-url": http is allowed only for loopback.*\nNo request was sent\.$/s
        )
      ])
      expectSilentRecorder(proxy)
      expectNoLeak(main, { password: PASSWORD })
    }
  )

  it('the control: an https api-url does reach the proxy recorder, with no credential in the tunnel request', async () => {
    const proxy = await recorder()
    const main = await runStep({
      step: 'main',
      debug: true,
      inputs: { username: DEMO, password: PASSWORD, 'api-url': 'https://api.fastly.invalid' },
      env: viaRecorder(proxy)
    })
    expect(main.exitCode).toBe(1)
    expect(errorLines(main)).toEqual([expect.stringMatching(/^Fastly API POST \/tokens failed/)])
    expect(proxy.seen.map(s => `${s.method} ${s.url}`)).toContain('CONNECT api.fastly.invalid:443')
    expect(JSON.stringify(proxy.seen)).not.toContain(PASSWORD)
    expectNoLeak(main, { password: PASSWORD })
  })

  async function withSim<T>(body: (sim: Simulator) => Promise<T>): Promise<T> {
    const sim = await startSimulator({ seed: 11 })
    opened.push(sim)
    return body(sim)
  }

  it.each([
    ['username and password', { username: DEMO, password: PASSWORD }, 'POST /tokens'],
    ['the sudo flow', { 'api-token': 'sudo', password: PASSWORD }, 'POST /sudo']
  ])(
    'main minting through %s against a redirecting api-url: fails clearly, the other host sees nothing',
    (_label, mint, route) =>
      withSim(async sim => {
        const inputs: Record<string, string> = { ...mint }
        const secrets: Secrets = { password: PASSWORD }
        if (inputs['api-token'] === 'sudo') {
          const admin = sim.state.addToken({ user: DEMO, scope: 'global' })
          inputs['api-token'] = admin.access_token
          secrets['api-token'] = admin.access_token
        }
        const elsewhere = await recorder()
        const front = await startFront(sim.url, { '*': { redirectTo: elsewhere.url, status: 307 } })
        opened.push(front)
        const main = await runStep({ step: 'main', debug: true, inputs: { ...inputs, 'api-url': front.url } })
        expect(main.exitCode).toBe(1)
        expect(errorLines(main)).toEqual([
          expect.stringContaining(
            `Fastly API ${route} answered 307 Temporary Redirect; redirect to ${elsewhere.url} not followed`
          )
        ])
        expectSilentRecorder(elsewhere)
        expect(front.seen.map(s => `${s.method} ${s.url}`)).toEqual([route])
        expect(sim.state.tokens().filter(t => t.name.startsWith('gha/'))).toEqual([])
        expectNoLeak(main, secrets)
      })
  )

  it('post revoking against an api-url that redirects DELETE /tokens/self: a warning, and the other host sees nothing', () =>
    withSim(async sim => {
      const elsewhere = await recorder()
      const front = await startFront(sim.url, {
        'DELETE /tokens/self': { redirectTo: elsewhere.url, status: 308 }
      })
      opened.push(front)
      const inputs = { username: DEMO, password: PASSWORD, 'api-url': front.url }
      const main = await runStep({ step: 'main', debug: true, inputs })
      expect(main.exitCode).toBe(0)
      const post = await runStep({ step: 'post', debug: true, inputs, state: main.state })
      expect(post.exitCode).toBe(0)
      const id = main.outputs['token-id']!
      const warnings = post.commands.filter(c => c.command === 'warning').map(c => c.message)
      expect(warnings).toEqual([
        expect.stringMatching(
          new RegExp(
            `^Could not revoke token ${id}: .*308.*redirect to ${elsewhere.url} not followed.*it stays valid until it expires at ${main.outputs['expires-at']}$`
          )
        )
      ])
      expectSilentRecorder(elsewhere)
      const token = main.outputs.token!
      const secrets: Secrets = { token: { value: token, homes: TOKEN_HOMES }, password: PASSWORD }
      expectNoLeak(main, secrets)
      expectNoLeak(post, secrets)
      // The token the redirect kept alive is the one the warning named; the expiry is its backstop.
      expect(sim.state.tokens().map(t => t.id)).toContain(id)
    }))
})
