/**
 * Property-based tests of every input parser of the action and the engine, alone and through
 * parseInputs (the one place the main step turns raw INPUT_* text into a config). What must hold
 * for any text whatsoever:
 * - the parse either succeeds or fails with InputError problems that each name a real input of
 *   action.yml, never with a bare exception from inside;
 * - no problem text repeats a secret input (password, otp, totp-secret, api-token, leaked values)
 *   in any spelling;
 * - whatever parseInputs accepts, the layers below accept too: the client builds its request from
 *   it without a TypeError, so a "valid" input can never crash the step after validation;
 * - a typo can never switch a safety default off (`revoke`, `export-env`) or loosen the endpoint.
 * Runs are bounded and seeded (the seed is printed on failure and replays the case).
 */
import { describe, it, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { parseApiUrl } from '../../src/action/api-url.js'
import { parseBoolean } from '../../src/action/booleans.js'
import {
  InputError,
  parseInputs,
  splitLeakedValues,
  type ActionConfig,
  type InputSources
} from '../../src/action/inputs.js'
import { SCOPE_NAMES, parseDuration, parseScope, parseServices } from '../../src/input/index.js'
import { FastlyTokensClient, InsecureEndpointError, totp } from '../../src/client/index.js'
import { buildCreateTokenRequest } from '../../src/client/create-token-form.js'
import { encodeBulkRevokeBody } from '../../src/client/bulk-revoke-body.js'
import { encodePathId } from '../../src/client/path-id.js'
import { isWellFormedTokenId, parseTokenIdList } from '../../src/revoke/index.js'
import { secretForms } from './support/leak-scan.js'

const RUNS = { numRuns: 200, seed: 20_261_130 }

/** The input names action.yml declares: the only names a problem may point at. */
const ACTION_INPUTS = (() => {
  const yml = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')
  const block = yml.slice(yml.indexOf('\ninputs:\n'), yml.indexOf('\noutputs:\n'))
  return [...block.matchAll(/^ {2}([a-z-]+):\s*$/gm)].map(m => m[1]!)
})()

const CONTEXT = {
  repository: 'octo-org/octo-repo',
  runId: '4242',
  runAttempt: '1',
  job: 'deploy'
}
const NOW = Date.parse('2026-06-01T10:00:00Z')
const IDS_FILE = 'ids.txt'

function sources(inputs: Record<string, string>, idsFile = ''): InputSources {
  return {
    // As the runner hands inputs over: trimmed, '' when unset.
    read: name => (inputs[name] ?? '').trim(),
    readTextFile: path => {
      if (path !== IDS_FILE) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' })
      return idsFile
    },
    context: CONTEXT,
    now: NOW
  }
}

type Parsed = { ok: true; config: ActionConfig } | { ok: false; error: InputError }

function parse(inputs: Record<string, string>, idsFile = ''): Parsed {
  try {
    return { ok: true, config: parseInputs(sources(inputs, idsFile)) }
  } catch (error) {
    // Anything but an InputError is a crash from inside the parser: let it fail the property.
    if (!(error instanceof InputError)) throw error
    return { ok: false, error }
  }
}

// ---- generators: for each input, plausible values, near misses and arbitrary text ----

const anyText = fc.string({ maxLength: 40, unit: 'binary' })
const blank = fc.constantFrom('', ' ', '\n')
const id22 = fc.stringMatching(/^[A-Za-z0-9]{22}$/)
/** Secrets carry a marker no parser message contains, so "not echoed" cannot pass by accident. */
const secret = (marker: string) =>
  fc.string({ minLength: 4, maxLength: 24, unit: 'binary' }).map(s => `${marker}${s.replace(/\s/g, '')}`)
const tokenValue = fc.stringMatching(/^[A-Za-z0-9_-]{32}$/)
const base32 = fc.stringMatching(/^[A-Z2-7]{16,32}$/)

const scopeText = fc.oneof(
  blank,
  fc
    .subarray([...SCOPE_NAMES, ...SCOPE_NAMES], { minLength: 1 })
    .chain(names => fc.constantFrom(' ', ',', '\n', ', ').map(sep => names.join(sep))),
  fc.constantFrom('admin', 'global:write', 'GLOBAL', 'purge_select,,purge_all'),
  anyText
)
const servicesText = fc.oneof(
  blank,
  fc.array(id22, { maxLength: 4 }).map(a => a.join(',')),
  fc.constantFrom('svc/1', 'a b', 'x'.repeat(65), '../etc'),
  anyText
)
const durationText = fc.oneof(
  blank,
  fc
    .tuple(fc.nat(40), fc.constantFrom('d', 'h', 'm', 's'), fc.option(fc.nat(90)))
    .map(([n, u, m]) => `${n}${u}${m === null ? '' : `${m}s`}`),
  fc.constantFrom(
    '1h',
    '15m',
    '90m',
    '1h30m',
    '30d',
    '31d',
    '59s',
    '60',
    '0h',
    '-1h',
    '1.5h',
    '9'.repeat(30) + 'd'
  ),
  anyText
)
const boolText = fc.oneof(
  blank,
  fc.constantFrom(
    'true',
    'True',
    'TRUE',
    'false',
    'False',
    'FALSE',
    'yes',
    'no',
    'off',
    '0',
    'tRUE',
    'false '
  ),
  anyText
)
const idsText = fc.oneof(
  blank,
  fc
    .array(fc.oneof(id22, fc.constantFrom('not-an-id!', 'self', 'a'.repeat(33), ' ', '')), { maxLength: 6 })
    .map(a => a.join(fc.sample(fc.constantFrom(',', '\n', ' , '), { numRuns: 1, seed: a.length })[0])),
  anyText
)
const urlText = fc.oneof(
  blank,
  fc.constantFrom(
    'https://api.fastly.com',
    'https://api.fastly.com/',
    'http://127.0.0.1:8787',
    'http://[::1]:9',
    'http://localhost:1',
    'http://api.fastly.com',
    'http://127.0.0.1.nip.io',
    'http://10.0.0.1',
    'ftp://127.0.0.1',
    'https://user:pw@api.fastly.com',
    'https://api.fastly.com/?k=v',
    'javascript:alert(1)',
    'file:///etc/passwd'
  ),
  fc.webUrl({ validSchemes: ['http', 'https', 'ftp'], withQueryParameters: true, withFragments: true }),
  anyText
)

interface Generated {
  inputs: Record<string, string>
  idsFile: string
  secrets: Record<string, string>
}

const generatedInputs: fc.Arbitrary<Generated> = fc
  .record(
    {
      mode: fc.oneof(blank, fc.constantFrom('token', 'audit', 'rotate'), anyText),
      username: fc.oneof(blank, fc.constant('demo@example.com'), anyText),
      password: fc.oneof(blank, secret('Pw§')),
      otp: fc.oneof(blank, fc.stringMatching(/^\d{6}$/), secret('Otp§')),
      'totp-secret': fc.oneof(
        blank,
        base32,
        base32.map(s => s.toLowerCase().replace(/(.{4})/g, '$1 ')),
        secret('Ts§')
      ),
      'api-token': fc.oneof(blank, tokenValue, secret('Api§'), fc.constant('two\nlines')),
      name: fc.oneof(blank, anyText, fc.constant('x'.repeat(256)), fc.constant('tab\there')),
      scope: scopeText,
      services: servicesText,
      'expires-in': durationText,
      'export-env': boolText,
      revoke: boolText,
      'dry-run': boolText,
      'revoke-matching': boolText,
      'revoke-token-ids': idsText,
      'revoke-token-ids-file': fc.constantFrom('', IDS_FILE, 'missing.txt'),
      'revoke-token-values': fc.oneof(
        blank,
        fc.array(tokenValue, { minLength: 1, maxLength: 3 }).map(a => a.join('\n')),
        fc.constant('two words\nfine_value_0000000000000000000')
      ),
      'customer-id': fc.oneof(blank, id22, anyText),
      'audit-name': fc.oneof(blank, fc.constantFrom('gha/*', '*'), anyText),
      'audit-scope': scopeText,
      'audit-created-before': fc.oneof(
        blank,
        fc.constantFrom('2024-01-31', '2024-01-31T12:00:00Z', '30d', '2024-13-01', 'yesterday'),
        anyText
      ),
      'audit-expired': boolText,
      'audit-unused-days': fc.oneof(blank, fc.constantFrom('30', '0', '3.5', '99999999'), anyText),
      'audit-never-expires': boolText,
      'api-url': urlText
    },
    { requiredKeys: [] }
  )
  .chain(inputs =>
    idsText.map(idsFile => {
      const secrets: Record<string, string> = {}
      for (const name of ['password', 'otp', 'totp-secret', 'api-token'] as const) {
        const value = inputs[name]?.trim()
        if (value && value.length >= 6) secrets[name] = value
      }
      const values = splitLeakedValues(inputs['revoke-token-values'] ?? '')
      values.forEach((v, i) => (secrets[`value ${i + 1}`] = v))
      return { inputs: inputs as Record<string, string>, idsFile, secrets }
    })
  )

/** Inputs a workflow author would plausibly write: mostly valid, so the layers below get exercised. */
const plausibleInputs: fc.Arbitrary<Record<string, string>> = fc
  .record({
    flow: fc.constantFrom('username', 'sudo', 'ids', 'values', 'audit'),
    password: secret('Pw§'),
    code: fc.oneof(
      fc.constant(''),
      fc.stringMatching(/^\d{6,8}$/).map(otp => ({ otp })),
      base32.map(s => ({ 'totp-secret': s }))
    ),
    name: fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 255, unit: 'grapheme' })),
    scope: fc.subarray([...SCOPE_NAMES], { minLength: 1 }).map(a => a.join(' ')),
    services: fc.array(id22, { maxLength: 3 }).map(a => a.join('\n')),
    'expires-in': fc.constantFrom('1m', '15m', '1h', '90m', '1h30m', '2d', '30d', '59m60s'),
    ids: fc.array(fc.oneof(id22, fc.constant('not-an-id!')), { maxLength: 4 }).map(a => a.join(', ')),
    values: fc.array(tokenValue, { minLength: 1, maxLength: 2 }).map(a => a.join('\n')),
    'api-url': fc.constantFrom(
      '',
      'https://api.fastly.com',
      'http://127.0.0.1:8787/',
      'http://[::1]:1',
      'https://proxy.example/fastly'
    ),
    'customer-id': fc.oneof(fc.constant(''), id22)
  })
  .map(g => {
    const common = { 'api-url': g['api-url'] }
    // Printable ASCII: the client refuses anything else as an API token, so parseInputs does too.
    const apiToken = 'ApiTokenValue_0123456789abcdefgh'
    switch (g.flow) {
      case 'username':
      case 'sudo':
        return {
          ...common,
          ...(g.flow === 'username' ? { username: 'demo@example.com' } : { 'api-token': apiToken }),
          password: g.password,
          ...(typeof g.code === 'object' ? g.code : {}),
          name: g.name,
          scope: g.ids ? 'global' : g.scope,
          services: g.services,
          'expires-in': g['expires-in'],
          'revoke-token-ids': g.ids
        }
      case 'ids':
        return {
          ...common,
          'api-token': apiToken,
          'revoke-token-ids': g.ids || 'AAAAAAAAAAAAAAAAAAAAAA',
          'customer-id': g['customer-id']
        }
      case 'values':
        return { ...common, 'revoke-token-values': g.values }
      case 'audit':
        return {
          ...common,
          mode: 'audit',
          'api-token': apiToken,
          'audit-scope': g.scope,
          'customer-id': g['customer-id']
        }
    }
  })

describe('parseInputs, over every input at once', () => {
  it('parses, or fails with problems that each name an input of action.yml', () => {
    expect(ACTION_INPUTS).toEqual(expect.arrayContaining(['password', 'api-url', 'revoke', 'dry-run']))
    fc.assert(
      fc.property(generatedInputs, ({ inputs, idsFile }) => {
        const result = parse(inputs, idsFile)
        if (result.ok) return
        const { problems, message } = result.error
        expect(problems.length).toBeGreaterThan(0)
        for (const p of problems) {
          for (const name of p.input.split(' / ')) expect(ACTION_INPUTS).toContain(name)
          expect(p.problem.trim().length).toBeGreaterThan(0)
          expect(message).toContain(`input "${p.input}": `)
        }
      }),
      RUNS
    )
  })

  it('never repeats a secret input in any problem, in any spelling', () => {
    fc.assert(
      fc.property(generatedInputs, ({ inputs, idsFile, secrets }) => {
        const result = parse(inputs, idsFile)
        if (result.ok) return
        for (const [label, value] of Object.entries(secrets)) {
          for (const form of secretForms(value)) {
            if (result.error.message.includes(form))
              throw new Error(`${label} echoed in: ${result.error.message}`)
          }
        }
      }),
      RUNS
    )
  })

  it('hands the layers below only what they accept: no TypeError after validation', () => {
    let accepted = 0
    fc.assert(
      fc.property(
        fc.oneof(
          plausibleInputs.map(inputs => ({ inputs, idsFile: '' })),
          generatedInputs
        ),
        ({ inputs, idsFile }) => {
          const result = parse(inputs, idsFile)
          if (!result.ok) return
          accepted += 1
          const { config } = result
          // The client is built from api-url (and api-token) first thing.
          new FastlyTokensClient({
            baseUrl: config.apiUrl,
            ...(config.apiToken ? { apiToken: config.apiToken } : {}),
            env: {}
          })
          if (config.mint) {
            const m = config.mint
            const otp = m.totpSecret ? totp(m.totpSecret, NOW) : m.otp
            buildCreateTokenRequest({
              ...(m.username ? { username: m.username } : {}),
              password: m.password,
              name: m.name,
              scope: m.scope,
              services: m.services,
              expiresAt: new Date(NOW + m.expiresInMs),
              ...(otp ? { otp } : {})
            })
            expect(m.expiresInMs).toBeGreaterThanOrEqual(60_000)
            expect(m.expiresInMs).toBeLessThanOrEqual(30 * 86_400_000)
          }
          if (config.revokeIds.length > 0) encodeBulkRevokeBody(config.revokeIds)
          if (config.customerId) encodePathId('customerId', config.customerId, 'customer')
          for (const id of config.revokeIds) expect(config.malformedIds).not.toContain(id)
        }
      ),
      RUNS
    )
    // The property is only worth something if valid configs were actually produced.
    expect(accepted).toBeGreaterThan(RUNS.numRuns / 4)
  })

  it('turns revoke or export-env off only for a YAML false, never for a typo', () => {
    fc.assert(
      fc.property(boolText, boolText, (revoke, exportEnv) => {
        const result = parse({
          username: 'demo@example.com',
          password: 'pw-123456',
          revoke,
          'export-env': exportEnv
        })
        if (!result.ok) {
          const named = result.error.problems.map(p => p.input)
          if (revoke.trim() !== '' && parseBoolean(revoke.trim()) === undefined)
            expect(named).toContain('revoke')
          return
        }
        expect(result.config.revoke).toBe(!['false', 'False', 'FALSE'].includes(revoke.trim()))
        expect(result.config.exportEnv).toBe(!['false', 'False', 'FALSE'].includes(exportEnv.trim()))
      }),
      RUNS
    )
  })
})

describe('each parser alone', () => {
  it('parseDuration: a positive whole number of ms that the text spells out, or a problem that quotes it', () => {
    fc.assert(
      fc.property(durationText, text => {
        const result = parseDuration(text)
        if (result.ok) {
          expect(Number.isSafeInteger(result.value) && result.value > 0).toBe(true)
          const spelled = [...text.trim().matchAll(/(\d+)([dhms])/g)].reduce(
            (sum, [, n, u]) =>
              sum + Number(n) * { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[u as 'd'],
            0
          )
          expect(result.value).toBe(spelled)
        } else {
          expect(result.problem.length).toBeGreaterThan(0)
        }
      }),
      RUNS
    )
  })

  it('parseTokenIdList: a partition of the distinct entries into well-formed ids and the rest, order kept', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          idsText,
          fc.array(fc.oneof(id22, anyText)).map(a => a.join('\n'))
        ),
        text => {
          const { ids, malformed } = parseTokenIdList(text)
          const entries = [...new Set(text.split(/[\s,]+/).filter(e => e !== ''))]
          expect([...ids, ...malformed].sort()).toEqual([...entries].sort())
          expect(ids).toEqual(entries.filter(isWellFormedTokenId))
          expect(malformed).toEqual(entries.filter(e => !isWellFormedTokenId(e)))
          // Parsing its own output changes nothing.
          expect(parseTokenIdList(ids.join('\n')).ids).toEqual(ids)
        }
      ),
      RUNS
    )
  })

  it('parseScope: only the four documented scopes, each once; a refusal names what was unknown', () => {
    fc.assert(
      fc.property(scopeText, text => {
        const result = parseScope(text)
        if (result.ok) {
          const names = result.value.split(' ')
          expect(new Set(names).size).toBe(names.length)
          for (const n of names) expect(SCOPE_NAMES).toContain(n)
        } else {
          expect(result.problem).toMatch(
            /^(?:unknown scope ".+"|it is empty); expected global, purge_select, purge_all, global:read$/s
          )
        }
      }),
      RUNS
    )
  })

  it('parseServices: alphanumeric ids the API path accepts, or a refusal quoting the first bad one', () => {
    fc.assert(
      fc.property(servicesText, text => {
        const result = parseServices(text)
        if (result.ok) {
          for (const [i, s] of result.value.entries()) encodePathId(`services[${i}]`, s, 'service')
          expect(new Set(result.value).size).toBe(result.value.length)
        } else {
          expect(result.problem).toMatch(
            /^expected alphanumeric service ids separated by commas or newlines, got ".+"$/s
          )
        }
      }),
      RUNS
    )
  })

  it('parseBoolean: exactly the six YAML 1.2 core spellings', () => {
    fc.assert(
      fc.property(boolText, text => {
        const value = parseBoolean(text)
        if (['true', 'True', 'TRUE'].includes(text)) expect(value).toBe(true)
        else if (['false', 'False', 'FALSE'].includes(text)) expect(value).toBe(false)
        else expect(value).toBeUndefined()
      }),
      RUNS
    )
  })

  it('parseApiUrl agrees with the client: whatever it accepts the client accepts, plain http only on loopback', () => {
    fc.assert(
      fc.property(urlText, text => {
        const result = parseApiUrl(text)
        if (!result.ok) {
          expect(result.problem.length).toBeGreaterThan(0)
          // Credentials in a URL are secrets too: a refusal never repeats them.
          const at = /^[a-z]+:\/\/([^@/]*)@/i.exec(text)?.[1]
          if (at && at.length >= 4) expect(result.problem).not.toContain(at)
          return
        }
        const url = new URL(result.url)
        expect(['https:', 'http:']).toContain(url.protocol)
        let built: FastlyTokensClient | undefined
        try {
          built = new FastlyTokensClient({ baseUrl: result.url, env: {} })
        } catch (error) {
          throw new Error(`parseApiUrl accepted ${result.url} but the client refused it: ${String(error)}`)
        }
        void built.close()
      }),
      RUNS
    )
  })

  it('plain http to any host that is not loopback is refused by both layers, before any request', () => {
    const remoteHost = fc.oneof(
      fc.domain().filter(h => h !== 'localhost'),
      fc.ipV4().filter(ip => !ip.startsWith('127.')),
      fc.ipV6().filter(ip => ip !== '::1' && !/^(0+:){7}0*1$/.test(ip) && ip !== '0:0:0:0:0:0:0:1')
    )
    fc.assert(
      fc.property(remoteHost, fc.nat(65535), (host, port) => {
        const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
        fc.pre(!/^\[?::(ffff:)?(0:)*1?\]?$/.test(host))
        expect(parseApiUrl(url).ok).toBe(false)
        expect(() => new FastlyTokensClient({ baseUrl: url, env: {} })).toThrow(InsecureEndpointError)
      }),
      RUNS
    )
  })
})

describe('regressions: defects this suite found, now fixed', () => {
  // looksLikeTokenValue once demanded a `-` or `_`, but a third of real access tokens are 32 plain
  // alphanumerics (the recorded QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7J is one), and the id pattern took
  // 16-32 alphanumerics: such a value pasted into revoke-token-ids went out as GET /tokens/<value>.
  // Ids are now at most 24 characters and anything longer is treated as a possible value.
  it('a leaked token value of 32 alphanumerics pasted as an id is refused (or masked)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{32}$/), value => {
        const result = parse({ 'api-token': 'Api§tokenValue_0123456789abcdef', 'revoke-token-ids': value })
        expect(result.ok).toBe(false)
      }),
      { ...RUNS, numRuns: 20 }
    )
  })

  // `new Date('2024-02-31T00:00:00Z')` is 2024-03-02 in V8: parseDate once read an impossible date
  // as another one instead of refusing it.
  it('audit-created-before: an impossible calendar date is refused, not rolled over', () => {
    const result = parse({
      mode: 'audit',
      'api-token': 'Api§tokenValue_0123456789abcdef',
      'audit-created-before': '2024-02-31'
    })
    expect(result.ok).toBe(false)
  })
})
