import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import {
  cleanPastedValue,
  hasTokenValueShape,
  tokenValuesIn,
  TOKEN_VALUE_LENGTH
} from '../../src/input/index.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
/** Any token-shaped value, the recorded ones among them. */
const tokenValue = fc.oneof(
  fc.constantFrom('QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7J', 'X-srxc_zLpchro9ngNBVgyofN_jqQFJ2'),
  fc
    .array(fc.constantFrom(...ALPHABET), { minLength: TOKEN_VALUE_LENGTH, maxLength: TOKEN_VALUE_LENGTH })
    .map(a => a.join(''))
)

/** How people paste a value: each takes V and returns the pasted text. */
const WRAPPINGS: Record<string, (v: string) => string> = {
  bare: v => v,
  'double quotes': v => `"${v}"`,
  'single quotes': v => `'${v}'`,
  backticks: v => `\`${v}\``,
  'smart quotes': v => `\u201c${v}\u201d`,
  'trailing comma': v => `${v},`,
  'trailing semicolon': v => `${v};`,
  'quoted with comma': v => `"${v}",`,
  'KEY=V': v => `FASTLY_API_TOKEN=${v}`,
  'KEY="V"': v => `FASTLY_API_TOKEN="${v}"`,
  'export KEY=V': v => `export FASTLY_API_TOKEN=${v}`,
  'Bearer V': v => `Bearer ${v}`,
  'bearer V': v => `bearer ${v}`,
  'Fastly-Key: V': v => `Fastly-Key: ${v}`,
  'curl header': v => `-H 'Fastly-Key: ${v}'`,
  'YAML key': v => `api-token: ${v}`,
  'JSON member': v => `"api_token": "${v}",`,
  'trailing CR': v => `${v}\r`,
  'trailing spaces and tab': v => `  ${v} \t`,
  'CRLF and quotes': v => `'${v}'\r\n`
}

describe('cleanPastedValue', () => {
  it('recovers the value from every wrapping people paste, and says it was wrapped', () => {
    fc.assert(
      fc.property(tokenValue, fc.constantFrom(...Object.keys(WRAPPINGS)), (v, name) => {
        const pasted = WRAPPINGS[name]!(v)
        const cleaned = cleanPastedValue(pasted)
        expect(cleaned).toEqual({ kind: 'token', value: v, wrapped: pasted.trim() !== v })
      }),
      { numRuns: 600 }
    )
  })

  it('wrappings nest: two of them around a value still give the value', () => {
    const keys = Object.keys(WRAPPINGS)
    fc.assert(
      fc.property(tokenValue, fc.constantFrom(...keys), fc.constantFrom(...keys), (v, a, b) => {
        // A header or key prefix inside quotes, quotes inside a key: as pasted from a script.
        const pasted = WRAPPINGS[a]!(WRAPPINGS[b]!(v).trim())
        const cleaned = cleanPastedValue(pasted)
        if (cleaned.kind === 'token') expect(cleaned.value).toBe(v)
        // Whatever it makes of it, it never yields a token value that is not V.
        else expect(cleaned.kind === 'malformed' || !hasTokenValueShape(cleaned.value)).toBe(true)
      }),
      { numRuns: 400 }
    )
  })

  it('never turns text without a token in it into a token value', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), text => {
        const cleaned = cleanPastedValue(text)
        if (cleaned.kind === 'token') expect(text).toContain(cleaned.value)
      }),
      { numRuns: 500 }
    )
  })

  it('calls blanks inside, controls and non-ASCII malformed, and a short or long run unshaped', () => {
    expect(cleanPastedValue('one two').kind).toBe('malformed')
    expect(cleanPastedValue('tök€n').kind).toBe('malformed')
    expect(cleanPastedValue('"  "').kind).toBe('malformed')
    expect(cleanPastedValue('abc\u0000def').kind).toBe('malformed')
    expect(cleanPastedValue('QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7').kind).toBe('unshaped')
    expect(cleanPastedValue('"QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7Jx"')).toEqual({
      kind: 'unshaped',
      value: 'QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7Jx',
      wrapped: true
    })
  })
})

describe('tokenValuesIn', () => {
  it('finds the value inside every wrapping (what masking and "never echo" rely on)', () => {
    fc.assert(
      fc.property(tokenValue, fc.constantFrom(...Object.keys(WRAPPINGS)), (v, name) => {
        const runs = tokenValuesIn(WRAPPINGS[name]!(v))
        // Exactly V: the separators of every wrapping are outside the token alphabet.
        expect(runs).toContain(v)
      }),
      { numRuns: 300 }
    )
  })
})
