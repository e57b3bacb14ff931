/**
 * The scanner must be able to fail: each planted leak below, in each form a log or file could
 * carry it, is reported; the clean run beside them is not. A scanner that passes everything would
 * make every "no secret leaked" assertion in this suite worthless.
 */
import { describe, it, expect } from '@jest/globals'
import { findLeaks, secretForms, TOKEN_HOMES, type StepArtifacts } from './support/leak-scan.js'

const TOKEN = 'QoU3neoxQQ6IPL8g7e-kkCjyWcwdNI7J'
const PASSWORD = 'p@ss word%:,/"\\'
const OTP = '492039'

function heredoc(name: string, value: string): string {
  return `${name}<<ghadelimiter_1\n${value}\nghadelimiter_1\n`
}

/** A step that did everything right. */
function clean(): StepArtifacts {
  return {
    stdout: [
      `::add-mask::${PASSWORD.replaceAll('%', '%25')}`,
      `::add-mask::${OTP}`,
      'Minting token "gha/octo-org/octo-repo/run-1-1/deploy"',
      `::add-mask::${TOKEN}`,
      'Minted token 2Yj9tLv6RkqWcZpX3sHf1a',
      '::debug::verified with GET /tokens/self'
    ].join('\n'),
    stderr: '',
    summary: '### Fastly token\n\nMinted `gha/...` (id `2Yj9tLv6RkqWcZpX3sHf1a`)\n',
    files: {
      outputs: heredoc('token', TOKEN) + heredoc('token-id', '2Yj9tLv6RkqWcZpX3sHf1a'),
      state: heredoc('token', TOKEN),
      env: heredoc('FASTLY_API_TOKEN', TOKEN)
    }
  }
}

const SECRETS = { token: { value: TOKEN, homes: TOKEN_HOMES }, password: PASSWORD, otp: OTP }

function plant(change: (a: StepArtifacts) => void): StepArtifacts {
  const a = clean()
  change(a)
  return a
}

const b64 = (text: string) => Buffer.from(text).toString('base64')

describe('the leak scanner', () => {
  it('passes a step that masked first and kept the token to its sanctioned homes', () => {
    expect(findLeaks(clean(), SECRETS)).toEqual([])
  })

  // Each planted leak, and the finding it must produce.
  it.each<[string, (a: StepArtifacts) => void, RegExp]>([
    [
      'token printed before its add-mask',
      a => (a.stdout = `token is ${TOKEN}\n${a.stdout}`),
      /^token in stdout line 1 \(before any add-mask\)/
    ],
    [
      'token in a debug line after its add-mask',
      a => (a.stdout += `\n::debug::Fastly-Key: ${TOKEN}`),
      /^token in stdout line 7 \(after its add-mask\): ::debug::Fastly-Key: <token>$/
    ],
    [
      'token base64-encoded inside a header dump (unaligned)',
      a => (a.stdout += `\n::debug::Authorization: Basic ${b64(`user:${TOKEN}`)}`),
      /^token in stdout line 7/
    ],
    [
      'token base64url-encoded',
      a => (a.stdout += `\n${Buffer.from(`xy${TOKEN}`).toString('base64url')}`),
      /^token in stdout line 7/
    ],
    [
      'password URL-encoded in an error annotation',
      a => (a.stdout += `\n::error::POST /tokens body password=${encodeURIComponent(PASSWORD)}`),
      /^password in stdout line 7/
    ],
    [
      'password form-encoded',
      a => (a.stdout += `\n${new URLSearchParams({ password: PASSWORD }).toString()}`),
      /^password in stdout line 7/
    ],
    [
      'password JSON-escaped',
      a => (a.stdout += `\n${JSON.stringify({ password: PASSWORD })}`),
      /^password in stdout line 7/
    ],
    [
      'password as hex',
      a => (a.stdout += `\n${Buffer.from(PASSWORD).toString('hex')}`),
      /^password in stdout line 7/
    ],
    ['OTP in stderr', a => (a.stderr = `Error: otp ${OTP} refused\n    at x (y.js:1:1)`), /^otp in stderr/],
    ['password in the job summary', a => (a.summary += `| ${PASSWORD} |`), /^password in the job summary$/],
    [
      'token in an output that is not its home',
      a => (a.files.outputs += heredoc('debug', `{"access_token":"${TOKEN}"}`)),
      /^token in outputs "debug"/
    ],
    [
      'token exported under another variable',
      a => (a.files.env += heredoc('FASTLY_KEY', TOKEN)),
      /^token in env "FASTLY_KEY"/
    ],
    [
      'token written to its home by a step that never masked it',
      a => (a.stdout = a.stdout.replace(`::add-mask::${TOKEN}\n`, '')),
      /^token written to outputs "token" but never masked by this step$/
    ],
    [
      'password in the state file',
      a => (a.files.state += heredoc('password', PASSWORD)),
      /^password in state "password"/
    ],
    ['token outside any file-command block', a => (a.files.env += `${TOKEN}\n`), /^token in the env file/],
    [
      'token in an error text',
      a => (a.extra = { 'the thrown error': `FastlyApiError: bad key ${TOKEN}` }),
      /^token in the thrown error/
    ]
  ])('reports %s', (_label, change, finding) => {
    const findings = findLeaks(plant(change), SECRETS)
    expect(findings.length).toBeGreaterThan(0)
    expect(findings[0]).toMatch(finding)
    // A finding names the secret but never prints it.
    for (const f of findings) for (const form of secretForms(TOKEN)) expect(f).not.toContain(form)
  })

  it('hides add-mask lines, but a secret masked only inside a larger value counts as unmasked', () => {
    const a = plant(x => (x.stdout = x.stdout.replace(`::add-mask::${TOKEN}`, `::add-mask::Bearer ${TOKEN}`)))
    expect(findLeaks(a, SECRETS)).toEqual([
      'token written to outputs "token" but never masked by this step',
      'token written to state "token" but never masked by this step',
      'token written to env "FASTLY_API_TOKEN" but never masked by this step'
    ])
  })

  it('reports a fragment of a token when asked to (a truncated body quoted in an error)', () => {
    const a = plant(x => (x.stdout += `\n::error::body was {"access_token":"${TOKEN.slice(0, 16)}`))
    expect(findLeaks(a, SECRETS)).toEqual([])
    expect(findLeaks(a, { token: { value: TOKEN, homes: TOKEN_HOMES, fragmentLength: 12 } })).toHaveLength(1)
  })

  it('finds base64 at every alignment, whatever precedes the secret', () => {
    for (let pad = 0; pad < 6; pad++) {
      const encoded = b64(`${'x'.repeat(pad)}${PASSWORD}tail`)
      expect(secretForms(PASSWORD).some(form => encoded.includes(form))).toBe(true)
    }
  })
})
