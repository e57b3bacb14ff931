import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import { InputError, parseInputs, type InputSources } from '../../src/action/inputs.js'

const context = {
  repository: 'octo-org/octo-repo',
  runId: '4242',
  runAttempt: '2',
  job: 'deploy'
}
const NOW = Date.parse('2025-01-01T00:00:00Z')

function sources(inputs: Record<string, string>, files: Record<string, string> = {}): InputSources {
  return {
    read: name => inputs[name] ?? '',
    readTextFile: path => {
      if (!(path in files)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' })
      return files[path]!
    },
    context,
    now: NOW
  }
}

function problemsOf(inputs: Record<string, string>, files?: Record<string, string>) {
  try {
    parseInputs(sources(inputs, files))
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).problems
  }
  throw new Error('expected an InputError')
}

const MINT = { username: 'demo@example.com', password: 'pw' }

describe('parseInputs', () => {
  it('builds the mint config with the documented defaults', () => {
    const config = parseInputs(sources(MINT))
    expect(config).toEqual({
      mode: 'token',
      apiUrl: 'https://api.fastly.com',
      mint: {
        username: 'demo@example.com',
        password: 'pw',
        name: 'gha/octo-org/octo-repo/run-4242-2/deploy',
        scope: 'global:read',
        services: [],
        expiresInMs: 3_600_000
      },
      exportEnv: true,
      revoke: true,
      revokeIds: [],
      malformedIds: [],
      revokeValues: [],
      dryRun: false,
      includeSelf: false
    })
  })

  it('reads every token-mode input', () => {
    const config = parseInputs(
      sources(
        {
          password: 'pw',
          'api-token': 'adminToken',
          'totp-secret': 'jbsw y3dp ehpk 3pxp',
          name: 'deploy-token',
          scope: 'purge_select, global:read purge_select',
          services: 'SU1Z0isxPaozGVKXdv0eY\nsecondService0000000000',
          'expires-in': '1h30m',
          'export-env': 'false',
          revoke: 'False',
          'revoke-token-ids': 'aaaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbb aaaaaaaaaaaaaaaaaaaaaa bad!id',
          'revoke-token-ids-file': 'ids.txt',
          'revoke-token-values':
            'value-one_0000000000000000000000\n\n  value-two_0000000000000000000000  \nvalue-one_0000000000000000000000',
          'api-url': 'http://127.0.0.1:8787/'
        },
        { 'ids.txt': 'cccccccccccccccccccccc\n\n' }
      )
    )
    expect(config.mint).toEqual({
      password: 'pw',
      totpSecret: 'JBSWY3DPEHPK3PXP',
      name: 'deploy-token',
      scope: 'purge_select global:read',
      services: ['SU1Z0isxPaozGVKXdv0eY', 'secondService0000000000'],
      expiresInMs: 90 * 60_000
    })
    expect(config.apiToken).toBe('adminToken')
    expect(config.exportEnv).toBe(false)
    expect(config.revoke).toBe(false)
    expect(config.revokeIds).toEqual([
      'aaaaaaaaaaaaaaaaaaaaaa',
      'bbbbbbbbbbbbbbbbbbbbbb',
      'cccccccccccccccccccccc'
    ])
    expect(config.malformedIds).toEqual(['bad!id'])
    expect(config.revokeValues).toEqual([
      'value-one_0000000000000000000000',
      'value-two_0000000000000000000000'
    ])
    expect(config.apiUrl).toBe('http://127.0.0.1:8787')
  })

  it('keeps pasted and garbled value lines for the engine (stripped there, or malformed, never an input error), one per cleaned value', () => {
    const v = 'QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7J'
    const config = parseInputs(
      sources({ 'revoke-token-values': `"${v}",\nBearer ${v}\nFASTLY_API_TOKEN=${v}\ntök€n\none two\n\n` })
    )
    expect(config.revokeValues).toEqual([`"${v}",`, 'tök€n', 'one two'])
  })

  it('accepts revoke-only runs: ids with api-token, values with nothing else', () => {
    expect(
      parseInputs(sources({ 'api-token': 't', 'revoke-token-ids': 'aaaaaaaaaaaaaaaaaaaaaa' })).mint
    ).toBeUndefined()
    expect(
      parseInputs(sources({ 'revoke-token-values': 'x-leaked-value_00000000000000000' })).revokeValues
    ).toHaveLength(1)
  })

  it('reads revoke-token-ids-file through the shared reader: comments, JSON forms, the CLI report', () => {
    const [a, b, c] = ['aaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbb', 'cccccccccccccccccccccc']
    const files = {
      'text.txt': `# incident 7\n${a}  # from the log\n\n${b}\n`,
      'array.json': JSON.stringify([a, b]),
      'objects.json': JSON.stringify([{ id: a, name: 'ci #1' }, { id: b }], null, 2),
      'report.json': `${JSON.stringify({ version: 1, mode: 'audit', outcomes: [{ id: a }] })}\n${JSON.stringify({ outcomes: [{ id: b }] })}`
    }
    for (const file of Object.keys(files)) {
      const config = parseInputs(
        sources({ 'api-token': 't', 'revoke-token-ids': c, 'revoke-token-ids-file': file }, files)
      )
      expect({ file, ids: config.revokeIds, malformed: config.malformedIds }).toEqual({
        file,
        ids: [c, a, b],
        malformed: []
      })
    }
  })

  it('refuses an ids file that is a log, by count and a short excerpt; a wrapped value never shown', () => {
    const secret = 'QoU3neoxQQ6IPL8g7e-kkCjyWcwdNI7J'
    const log = Array.from({ length: 5000 }, (_, i) => `line-${i} GET /x 200`).join('\n')
    const logProblem = problemsOf(
      { 'api-token': 't', 'revoke-token-ids-file': 'log.txt' },
      { 'log.txt': log }
    )
    const text = logProblem.map(p => p.problem).join('\n')
    expect(text).toMatch(/^\d+ entries are not token ids \("line-0", "GET", "\/x" and \d+ more\)/)
    expect(text.length).toBeLessThan(300)
    for (const wrapped of [`"${secret}"`, `KEY=${secret}`, `Bearer ${secret}`, `'${secret}',`]) {
      const problems = problemsOf(
        { 'api-token': 't', 'revoke-token-ids-file': 'ids.txt' },
        { 'ids.txt': `aaaaaaaaaaaaaaaaaaaaaa\n${wrapped}\n` }
      )
      const words = problems.map(p => p.problem).join('\n')
      expect(words).toContain('like a token value')
      expect(words).not.toContain(secret.slice(0, 12))
    }
  })

  it('reads the audit inputs', () => {
    const config = parseInputs(
      sources({
        mode: 'audit',
        'api-token': 't',
        'customer-id': 'demoCustomer0000000000',
        'audit-name': 'gha/*',
        'audit-scope': 'global',
        'audit-created-before': '30d',
        'audit-expired': 'false',
        'audit-unused-days': '14',
        'audit-never-expires': 'true',
        'revoke-matching': 'true',
        'dry-run': 'true'
      })
    )
    expect(config.audit).toEqual({
      filter: {
        nameGlob: 'gha/*',
        scope: 'global',
        createdBefore: new Date(NOW - 30 * 86_400_000),
        expired: false,
        unusedForDays: 14,
        neverExpires: true
      },
      revokeMatching: true
    })
    expect(config.dryRun).toBe(true)
    expect(config.customerId).toBe('demoCustomer0000000000')
    const dated = parseInputs(
      sources({ mode: 'audit', 'api-token': 't', 'audit-created-before': '2024-06-01' })
    )
    expect(dated.audit?.filter.createdBefore).toEqual(new Date('2024-06-01T00:00:00Z'))
  })

  // Each row: inputs -> the input the error must name and words it must contain.
  it.each<[string, Record<string, string>, string, string]>([
    ['nothing to do', {}, 'password', 'nothing to do'],
    ['password without username or api-token', { password: 'pw' }, 'username', 'sudo flow'],
    ['username without password', { username: 'u@example.com' }, 'password', 'required when username'],
    ['bad expires-in', { ...MINT, 'expires-in': '10' }, 'expires-in', 'has no unit'],
    ['zero expires-in', { ...MINT, 'expires-in': '0m' }, 'expires-in', 'positive'],
    ['too short expires-in', { ...MINT, 'expires-in': '30s' }, 'expires-in', 'between 1m and 30d'],
    ['too long expires-in', { ...MINT, 'expires-in': '31d' }, 'expires-in', 'between 1m and 30d'],
    ['unknown scope', { ...MINT, scope: 'global:write' }, 'scope', 'unknown scope "global:write"'],
    ['bad service id', { ...MINT, services: 'abc,d-e' }, 'services', 'alphanumeric'],
    ['bad boolean', { ...MINT, revoke: 'yes' }, 'revoke', 'expected true or false'],
    ['bad export-env', { ...MINT, 'export-env': 'on' }, 'export-env', 'expected true or false'],
    ['http to a remote host', { ...MINT, 'api-url': 'http://api.fastly.com' }, 'api-url', 'loopback'],
    ['not a url', { ...MINT, 'api-url': 'api.fastly.com' }, 'api-url', 'absolute URL'],
    ['otp not digits', { ...MINT, otp: '12ab56' }, 'otp', '6-digit'],
    ['otp and totp-secret', { ...MINT, otp: '123456', 'totp-secret': 'JBSWY3DPEHPK3PXP' }, 'otp', 'not both'],
    ['bad totp-secret', { ...MINT, 'totp-secret': 'not base32!' }, 'totp-secret', 'base32'],
    [
      'otp without password',
      { 'api-token': 't', otp: '123456', 'revoke-token-ids': 'aaaaaaaaaaaaaaaaaaaaaa' },
      'otp',
      'only used when minting'
    ],
    ['api-token with blanks', { ...MINT, 'api-token': 'two words' }, 'api-token', 'single token'],
    ['api-token outside printable ASCII', { ...MINT, 'api-token': 'tök€n' }, 'api-token', 'printable ASCII'],
    [
      'ids without credentials',
      { 'revoke-token-ids': 'aaaaaaaaaaaaaaaaaaaaaa' },
      'api-token',
      'required to revoke'
    ],
    [
      'ids with a read-only minted token',
      { ...MINT, 'revoke-token-ids': 'aaaaaaaaaaaaaaaaaaaaaa' },
      'revoke-token-ids',
      'scope global'
    ],
    [
      'a token value in the ids',
      { 'api-token': 't', 'revoke-token-ids': 'QoU3neoxQQ6IPL8g7e-kkCjyWcwdNI7J' },
      'revoke-token-ids',
      'looks like a token value'
    ],
    [
      'missing ids file',
      { 'api-token': 't', 'revoke-token-ids-file': 'nope.txt' },
      'revoke-token-ids-file',
      'cannot be read (ENOENT)'
    ],
    ['unknown mode', { ...MINT, mode: 'rotate' }, 'mode', 'token or audit'],
    ['dry-run with a mint', { ...MINT, 'dry-run': 'true' }, 'dry-run', 'cannot mint'],
    [
      'audit filter in token mode',
      { ...MINT, 'audit-name': 'gha/*' },
      'audit-name',
      'only used with mode: audit'
    ],
    ['audit without api-token', { mode: 'audit' }, 'api-token', 'required with mode: audit'],
    [
      'audit with password',
      { mode: 'audit', 'api-token': 't', password: 'pw' },
      'password',
      'not used with mode: audit'
    ],
    [
      'revoke-matching without a filter',
      { mode: 'audit', 'api-token': 't', 'revoke-matching': 'true' },
      'revoke-matching',
      'every token'
    ],
    [
      'bad audit-unused-days',
      { mode: 'audit', 'api-token': 't', 'audit-unused-days': 'ten' },
      'audit-unused-days',
      'whole number'
    ],
    [
      'bad audit-created-before',
      { mode: 'audit', 'api-token': 't', 'audit-created-before': 'last week' },
      'audit-created-before',
      'expected a date'
    ],
    [
      'bad customer-id',
      { mode: 'audit', 'api-token': 't', 'customer-id': 'x/y' },
      'customer-id',
      'alphanumeric'
    ]
  ])('%s', (_label, inputs, input, words) => {
    const problems = problemsOf(inputs)
    const problem = problems.find(p => p.input.split(' / ').includes(input))
    expect(problem?.problem).toContain(words)
  })

  it('reports every problem at once, one line per input', () => {
    const error = (() => {
      try {
        parseInputs(sources({ ...MINT, scope: 'nope', 'expires-in': 'soon', revoke: 'maybe' }))
      } catch (e) {
        return e as InputError
      }
    })()
    expect(error?.problems.map(p => p.input).sort()).toEqual(['expires-in', 'revoke', 'scope'])
    expect(error?.message).toMatch(/^3 invalid inputs:\ninput "revoke"/)
  })

  it('never repeats a secret input in a problem', () => {
    const secrets = {
      password: 'pa55-w0rd',
      otp: 'x12345y',
      'totp-secret': 'secret-not-base32',
      'api-token': 'api token'
    }
    const problems = problemsOf({ ...secrets, username: 'u@example.com' })
    const text = problems.map(p => p.problem).join('\n')
    for (const value of Object.values(secrets)) expect(text).not.toContain(value)
  })

  it('either parses or names an input, whatever the text of any input', () => {
    const names = ['scope', 'services', 'expires-in', 'revoke', 'api-url', 'otp', 'name', 'revoke-token-ids']
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.string(), (name, text) => {
        try {
          parseInputs(sources({ ...MINT, 'api-token': 't', scope: 'global', [name]: text }))
        } catch (error) {
          expect(error).toBeInstanceOf(InputError)
          expect((error as InputError).problems.length).toBeGreaterThan(0)
          for (const p of (error as InputError).problems) expect(p.problem.length).toBeGreaterThan(0)
        }
      })
    )
  })
})

describe('broker-url (keyless)', () => {
  const BROKER = { 'broker-url': 'https://broker.example.com/' }

  it('needs no Fastly secret: the broker config carries the token shape and the default audience', () => {
    const config = parseInputs(
      sources({ ...BROKER, scope: 'purge_select', services: 'svc1', 'expires-in': '15m' })
    )
    expect(config.mint).toBeUndefined()
    expect(config.broker).toEqual({
      url: 'https://broker.example.com',
      audience: 'fastly-token-broker',
      scope: 'purge_select',
      services: ['svc1'],
      expiresInMs: 900_000
    })
  })

  it.each(['password', 'api-token', 'username', 'otp', 'totp-secret'])(
    'with %s: a conflict on that input, whose value is never echoed',
    name => {
      const problems = problemsOf({ ...BROKER, [name]: 'SECRETVALUE2345ABCDEFGH' })
      expect(problems).toContainEqual({
        input: name,
        problem: expect.stringMatching(/^not used with broker-url: the broker mints the token/)
      })
      expect(JSON.stringify(problems)).not.toContain('SECRETVALUE2345ABCDEFGH')
    }
  )

  it.each<[Record<string, string>, string, RegExp]>([
    [{ name: 'my-token' }, 'name', /the broker names the token after the run/],
    [{ mode: 'audit', 'api-token': 'tok' }, 'broker-url', /not used with mode: audit/],
    [{ 'dry-run': 'true' }, 'dry-run', /a dry run cannot mint/],
    [{ 'revoke-token-ids': 'abcdefghijklmnopqrstuv' }, 'revoke-token-ids', /needs scope global/],
    [{ 'broker-audience': 'two words' }, 'broker-audience', /without blanks/],
    [{ 'broker-url': 'http://broker.example.com' }, 'broker-url', /http is allowed only for loopback/],
    [
      { 'broker-url': 'broker.example.com' },
      'broker-url',
      /not an absolute URL like https:\/\/fastly-broker\.example\.com/
    ]
  ])('%j: refused on %s', (extra, input, problem) => {
    expect(problemsOf({ ...BROKER, ...extra })).toContainEqual({
      input,
      problem: expect.stringMatching(problem)
    })
  })

  it('plain http to a loopback broker is allowed (a local broker in tests)', () => {
    expect(parseInputs(sources({ 'broker-url': 'http://127.0.0.1:8080' })).broker?.url).toBe(
      'http://127.0.0.1:8080'
    )
  })
})

describe('secret inputs reach the API exactly as given', () => {
  it('password keeps its leading and trailing blanks when read raw (core.getInput would trim them)', () => {
    const raw = { ...MINT, password: '  pass word \t' }
    const config = parseInputs({
      ...sources(raw),
      read: name => (raw[name as keyof typeof raw] ?? '').trim(),
      readRaw: name => raw[name as keyof typeof raw] ?? ''
    })
    expect(config.mint?.password).toBe('  pass word \t')
  })

  it('a password of blanks only is no password', () => {
    expect(problemsOf({ username: 'u@example.com', password: '   ' })).toContainEqual({
      input: 'password',
      problem: expect.stringMatching(/required when username is given/)
    })
  })
})
