/**
 * fastly-token-broker as an operator runs it: a child process with a YAML file and the credential
 * in its environment. It says `listening on ...` once, refuses a bad config or a missing
 * credential with one line, drains on SIGTERM, and its audit log holds no secret.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { requestBrokerToken, runBrokerCli } from '../../src/broker/index.js'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { findLeaks } from '../hardening/support/leak-scan.js'
import {
  DEMO_BROKER_ENV,
  runBrokerBin,
  startBrokerProcess,
  writeBrokerConfig
} from '../support/broker-process.js'
import { startOidcIssuer, type OidcIssuer } from '../support/oidc-issuer.js'
import { brokerConfig, waitFor } from './world.js'

let issuer: OidcIssuer
let sim: Simulator
beforeAll(async () => {
  issuer = await startOidcIssuer()
  sim = await startSimulator({ seed: 5 })
})
afterAll(async () => {
  await Promise.all([issuer.close(), sim.close()])
})

async function runInProcess(argv: string[], env: Record<string, string>) {
  let stdout = ''
  let stderr = ''
  const code = await runBrokerCli(argv, {
    stdout: text => void (stdout += text),
    stderr: text => void (stderr += text),
    env,
    stopSignal: Promise.resolve()
  })
  return { code, stdout, stderr }
}

describe('the fastly-token-broker bin', () => {
  it('listens, mints for a 2FA account with FASTLY_BROKER_TOTP_SECRET, and audits without a secret', async () => {
    const env = {
      FASTLY_BROKER_USERNAME: '2fa@example.com',
      FASTLY_BROKER_PASSWORD: '2fa-password',
      FASTLY_BROKER_TOTP_SECRET: 'JBSWY3DPEHPK3PXP'
    }
    const broker = await startBrokerProcess({ config: brokerConfig(issuer, sim), env })
    try {
      expect(broker.lines()).toEqual([`listening on ${broker.url}`])
      const idTokens = [
        await issuer.idToken(),
        await issuer.idToken({ aud: 'other' }),
        await issuer.idToken()
      ]
      const token = await requestBrokerToken({ brokerUrl: broker.url, idToken: idTokens[0] as string })
      expect(sim.state.token(token.id)?.name).toMatch(/^gha\/acme\/shop\/run-\d+-1\/deploy$/)
      const refused = await requestBrokerToken({
        brokerUrl: broker.url,
        idToken: idTokens[1] as string
      }).catch(e => e)
      expect(refused).toMatchObject({ status: 401, code: 'token_audience' })
      const narrow = await requestBrokerToken({
        brokerUrl: broker.url,
        idToken: idTokens[2] as string,
        scope: 'global:read'
      })
      await waitFor(async () => broker.audit().length === 3, 'three audit lines')
      const audit = broker.audit()
      expect(audit.map(a => [a.decision, a.reason])).toEqual([
        ['allow', 'minted'],
        ['deny', 'token_audience'],
        ['allow', 'minted']
      ])
      const stdout = broker.lines().join('\n')
      const leaks = findLeaks(
        { stdout, stderr: broker.stderr(), summary: '', files: { outputs: '', state: '', env: '' } },
        {
          idToken0: idTokens[0],
          idToken1: idTokens[1],
          idToken2: idTokens[2],
          accessToken: { value: token.access_token, fragmentLength: 12 },
          narrowToken: { value: narrow.access_token, fragmentLength: 12 },
          password: env.FASTLY_BROKER_PASSWORD,
          totpSecret: env.FASTLY_BROKER_TOTP_SECRET
        }
      )
      expect(leaks).toEqual([])
      // The token ids are there, so the audit ties each job to its token.
      expect(stdout).toContain(token.id)
    } finally {
      expect(await broker.stop()).toBe(0)
    }
  })

  it('mints twice in one TOTP window where Fastly refuses a reused code: the second mint uses the next window', async () => {
    const strict = await startSimulator({ seed: 6, refuseReusedOtp: true })
    const broker = await startBrokerProcess({
      config: brokerConfig(issuer, strict),
      env: {
        FASTLY_BROKER_USERNAME: '2fa@example.com',
        FASTLY_BROKER_PASSWORD: '2fa-password',
        FASTLY_BROKER_TOTP_SECRET: 'JBSWY3DPEHPK3PXP'
      }
    })
    try {
      const first = await requestBrokerToken({ brokerUrl: broker.url, idToken: await issuer.idToken() })
      const second = await requestBrokerToken({ brokerUrl: broker.url, idToken: await issuer.idToken() })
      expect(first.id).not.toBe(second.id)
      expect(strict.state.token(first.id)).toBeDefined()
      expect(strict.state.token(second.id)).toBeDefined()
    } finally {
      expect(await broker.stop()).toBe(0)
      await strict.close()
    }
  })

  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const broker = await startBrokerProcess({ config: brokerConfig(issuer, sim) })
    const slow = { route: 'POST /tokens', kind: 'latency' as const, ms: 800, times: 1 }
    sim.state.faults.push(slow)
    try {
      const pending = requestBrokerToken({ brokerUrl: broker.url, idToken: await issuer.idToken() })
      await waitFor(async () => sim.state.faultsFired(slow) === 1, 'the mint to reach the simulator')
      const exit = broker.stop('SIGTERM')
      const token = await pending
      expect(sim.state.token(token.id)).toBeDefined()
      expect(await exit).toBe(0)
      await expect(fetch(`${broker.url}/healthz`)).rejects.toThrow()
    } finally {
      sim.state.faults = []
      await broker.stop('SIGKILL')
    }
  })

  describe('refuses to start with one clear line', () => {
    const base = () => brokerConfig(issuer, sim)
    const policy = (changes: Record<string, unknown>) => ({
      ...base(),
      policies: [{ name: 'deploy', claims: { repository: 'acme/shop' }, ...changes }]
    })
    it.each([
      [
        'no credential',
        base,
        { FASTLY_BROKER_USERNAME: '', FASTLY_BROKER_PASSWORD: '' },
        /FASTLY_BROKER_USERNAME and FASTLY_BROKER_PASSWORD not set/
      ],
      ['no password', base, { FASTLY_BROKER_PASSWORD: '' }, /FASTLY_BROKER_PASSWORD not set/],
      [
        'a bad TOTP secret',
        base,
        { FASTLY_BROKER_TOTP_SECRET: 'not base32!' },
        /FASTLY_BROKER_TOTP_SECRET: .*base32/
      ],
      [
        'a password in the config',
        () => ({ ...base(), fastly: { 'api-url': sim.url, password: 'x' } }),
        {},
        /broker\.yaml: fastly\.password: looks like a credential/
      ],
      [
        'a TOTP secret in a policy',
        () => policy({ 'totp-secret': 'JBSWY3DPEHPK3PXP' }),
        {},
        /policies\[0\]\.totp-secret: looks like a credential/
      ],
      [
        'an unknown top-level key',
        () => ({ ...base(), audiences: ['x'] }),
        {},
        /broker\.yaml: audiences: unknown key/
      ],
      [
        'an unknown policy key',
        () => policy({ scopes: ['global'] }),
        {},
        /broker\.yaml: policies\[0\] \(deploy\)\.scopes: unknown key/
      ],
      [
        'a policy without claims',
        () => policy({ claims: undefined }),
        {},
        /policies\[0\] \(deploy\)\.claims: a policy needs claims/
      ],
      [
        'a claim of only *',
        () => policy({ claims: { repository: '*' } }),
        {},
        /policies\[0\] \(deploy\)\.claims\.repository: the pattern "\*" matches every value/
      ],
      [
        'an unknown claim',
        () => policy({ claims: { repositry: 'acme/shop' } }),
        {},
        /policies\[0\] \(deploy\)\.claims\.repositry: unknown key/
      ],
      [
        'an unknown scope',
        () => policy({ scope: ['admin'] }),
        {},
        /policies\[0\] \(deploy\)\.scope\[0\]: unknown scope "admin"/
      ],
      [
        'a lifetime without unit',
        () => policy({ 'max-expires-in': '30' }),
        {},
        /policies\[0\] \(deploy\)\.max-expires-in: "30" has no unit/
      ],
      [
        'a plain-http issuer off loopback',
        () => ({ ...base(), issuer: 'http://issuer.example.com' }),
        {},
        /broker\.yaml: issuer: plain http:\/\/ is allowed only for a loopback host/
      ],
      [
        'no policies',
        () => ({ ...base(), policies: [] }),
        {},
        /broker\.yaml: policies: expected a list of at least one policy/
      ],
      [
        'two policies of one name',
        () => ({ ...base(), policies: [...policy({}).policies, ...policy({}).policies] }),
        {},
        /policies\[1\] \(deploy\)\.name: another policy has the same name/
      ]
    ])('%s', async (_name, config, env, pattern) => {
      // In-process (runBrokerCli is all the bin runs), so the matrix costs no process per case.
      const { file, cleanup } = await writeBrokerConfig(config())
      try {
        const run = await runInProcess(['--config', file, '--port', '0'], { ...DEMO_BROKER_ENV, ...env })
        expect(run.code).toBe(1)
        expect(run.stdout).toBe('')
        const lines = run.stderr.trimEnd().split('\n')
        expect(lines).toHaveLength(1)
        expect(lines[0]).toMatch(/^fastly-token-broker: /)
        expect(lines[0]).toMatch(pattern)
        expect(run.stderr).not.toContain('demo-password')
      } finally {
        await cleanup()
      }
    })

    it('names the line of a YAML syntax error and refuses a missing file', async () => {
      const { file, cleanup } = await writeBrokerConfig('issuer: x\npolicies: [\n  - a\n')
      try {
        const bad = await runBrokerBin(['--config', file], DEMO_BROKER_ENV)
        expect(bad.code).toBe(1)
        expect(bad.stderr).toMatch(/broker\.yaml:\d+: not valid YAML/)
      } finally {
        await cleanup()
      }
      const missing = await runBrokerBin(['--config', 'no-such-broker.yaml'], DEMO_BROKER_ENV)
      expect(missing.code).toBe(1)
      expect(missing.stderr).toBe(
        'fastly-token-broker: no-such-broker.yaml: cannot read the config file (ENOENT)\n'
      )
      const usage = await runBrokerBin([], DEMO_BROKER_ENV)
      expect(usage.code).toBe(2)
      expect(usage.stderr).toMatch(/--config FILE is required/)
      const port = await runInProcess(['--config', 'broker.yaml', '--port', '70000'], DEMO_BROKER_ENV)
      expect(port.code).toBe(2)
      expect(port.stderr).toMatch(/--port: expected an integer from 0 to 65535, got "70000"/)
      const unknown = await runInProcess(['--config', 'broker.yaml', '--verbose'], DEMO_BROKER_ENV)
      expect(unknown.code).toBe(2)
    })

    it('says so in one line when the port is taken', async () => {
      const taken = await startSimulator()
      const { file, cleanup } = await writeBrokerConfig(base())
      try {
        const run = await runInProcess(['--config', file, '--port', String(taken.port)], DEMO_BROKER_ENV)
        expect(run.code).toBe(1)
        expect(run.stderr).toBe('fastly-token-broker: cannot listen (EADDRINUSE)\n')
      } finally {
        await cleanup()
        await taken.close()
      }
    })
  })
})
