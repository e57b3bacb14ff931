/**
 * Every invalid input, through the bundled main step: one clear error naming the input, exit 1,
 * zero requests in the simulator's log, and no secret anywhere.
 */
import { describe, it, expect } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO, assertNoLeak, messages, runStep, withSimulator } from './harness.js'

const SECRETS = { password: 'Pa55%word\\n', otp: '987654', 'api-token': 'apiTokenSecret_0123456789abcdefgh' }
const MINT = { username: DEMO.user, password: SECRETS.password }

// input(s) -> the input the error must name
const CASES: Array<[string, Record<string, string>, string]> = [
  ['no credentials and nothing to revoke', {}, 'password'],
  ['password without username or api-token', { password: SECRETS.password }, 'username'],
  ['expires-in without a unit', { ...MINT, 'expires-in': '90' }, 'expires-in'],
  ['expires-in of zero', { ...MINT, 'expires-in': '0h' }, 'expires-in'],
  ['expires-in beyond 30 days', { ...MINT, 'expires-in': '45d' }, 'expires-in'],
  ['unknown scope', { ...MINT, scope: 'admin' }, 'scope'],
  ['service id with a slash', { ...MINT, services: 'svc/1' }, 'services'],
  ['boolean that is not YAML 1.2 core', { ...MINT, 'export-env': 'yes' }, 'export-env'],
  ['revoke: maybe', { ...MINT, revoke: 'maybe' }, 'revoke'],
  ['plain http to a remote host', { ...MINT, 'api-url': 'http://api.fastly.com' }, 'api-url'],
  ['otp that is not digits', { ...MINT, otp: 'abcdef' }, 'otp'],
  ['otp and totp-secret together', { ...MINT, otp: SECRETS.otp, 'totp-secret': DEMO.totpSecret }, 'otp'],
  ['totp-secret that is not base32', { ...MINT, 'totp-secret': '0189-not-base32' }, 'totp-secret'],
  ['api-token with a line break', { ...MINT, 'api-token': 'one\ntwo' }, 'api-token'],
  ['ids without credentials', { 'revoke-token-ids': 'aaaaaaaaaaaaaaaaaaaaaa' }, 'api-token'],
  [
    'ids file that does not exist',
    { 'api-token': SECRETS['api-token'], 'revoke-token-ids-file': 'missing-ids.txt' },
    'revoke-token-ids-file'
  ],
  [
    'a leaked value pasted as an id',
    { 'api-token': SECRETS['api-token'], 'revoke-token-ids': 'QoU3neoxQQ6IPL8g7e-kkCjyWcwdNI7J' },
    'revoke-token-ids'
  ],
  ['unknown mode', { ...MINT, mode: 'rotate' }, 'mode'],
  ['audit without api-token', { mode: 'audit' }, 'api-token'],
  [
    'revoke-matching without a filter',
    { mode: 'audit', 'api-token': SECRETS['api-token'], 'revoke-matching': 'true' },
    'revoke-matching'
  ],
  [
    'audit-unused-days not a number',
    { mode: 'audit', 'api-token': SECRETS['api-token'], 'audit-unused-days': '3.5' },
    'audit-unused-days'
  ]
]

describe('invalid inputs fail before any request', () => {
  it.each(CASES)('%s', (_label, inputs, input) =>
    withSimulator({}, async sim => {
      const main = await runStep({ step: 'main', inputs: { 'api-url': sim.url, ...inputs } })
      expect(main.exitCode).toBe(1)
      const errors = messages(main, 'error')
      expect(errors).toHaveLength(1)
      expect(errors[0]).toContain(`input "${input}"`)
      expect(errors[0]).toMatch(/No request was sent\.$/)
      expect(sim.state.requests()).toEqual([])
      expect(main.outputs).toEqual({})
      expect(main.state).toEqual({})
      assertNoLeak(main, { ...SECRETS, 'api-token-input': inputs['api-token'] })
    })
  )
})

describe('a leaked value pasted into revoke-token-ids, in any wrapping', () => {
  const V = 'X-srxc_zLpchro9ngNBVgyofN_jqQFJ2'
  const WRAPPED = [
    `"${V}"`,
    `${V};`,
    `FASTLY_API_TOKEN=${V}`,
    `Bearer ${V}`,
    `'${V}',`,
    `Fastly-Key:${V}`,
    `\`${V}\``
  ]
  it.each(WRAPPED)('%s: masked first, refused before any request, never echoed', entry =>
    withSimulator({}, async sim => {
      const main = await runStep({
        step: 'main',
        inputs: {
          'api-url': sim.url,
          'api-token': SECRETS['api-token'],
          'revoke-token-ids': `aaaaaaaaaaaaaaaaaaaaaa, ${entry}`
        },
        debug: true
      })
      expect(main.exitCode).toBe(1)
      expect(messages(main, 'error')[0]).toContain('input "revoke-token-ids"')
      expect(sim.state.requests()).toEqual([])
      const firstLine = main.commands.findIndex(c => c.command === undefined)
      const masked = main.commands.slice(0, firstLine).filter(c => c.command === 'add-mask')
      expect(masked.map(c => c.message)).toContain(V)
      assertNoLeak(main, { ...SECRETS, value: V })
    })
  )
})

describe('revoke-token-ids-file that is not a readable file of ids', () => {
  // Each is made in a workspace of its own and named as the step reads it (relative to the
  // workspace, or absolute); the step must neither block on it nor read it whole.
  const KINDS: Array<[string, (workspace: string) => string, string]> = [
    [
      'a FIFO nobody writes to',
      ws => (execFileSync('mkfifo', [join(ws, 'ids.txt')]), 'ids.txt'),
      'a pipe (FIFO)'
    ],
    ['a directory', ws => (mkdirSync(join(ws, 'ids')), 'ids'), 'a directory'],
    ['a device', () => '/dev/zero', 'a device'],
    [
      'a file over the size cap',
      ws => {
        writeFileSync(join(ws, 'ids.txt'), '')
        truncateSync(join(ws, 'ids.txt'), 9 * 1024 * 1024)
        return 'ids.txt'
      },
      'over the 8.0 MiB'
    ]
  ]
  it.each(KINDS)('%s: one error naming the input and the kind, before any request', (_label, make, kind) =>
    withSimulator({}, async sim => {
      const workspace = mkdtempSync(join(tmpdir(), 'workspace-'))
      try {
        const path = make(workspace)
        const main = await runStep({
          step: 'main',
          inputs: { 'api-url': sim.url, 'api-token': SECRETS['api-token'], 'revoke-token-ids-file': path },
          cwd: workspace
        })
        expect(main.exitCode).toBe(1)
        const errors = messages(main, 'error')
        expect(errors).toHaveLength(1)
        expect(errors[0]).toContain('input "revoke-token-ids-file"')
        expect(errors[0]).toContain(kind)
        expect(errors[0]).toMatch(/No request was sent\.$/)
        expect(sim.state.requests()).toEqual([])
        assertNoLeak(main, SECRETS)
      } finally {
        rmSync(workspace, { recursive: true, force: true })
      }
    })
  )
})
