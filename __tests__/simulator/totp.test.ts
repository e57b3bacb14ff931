/** Pure pieces checked against their standards: RFC 6238/4226 codes, RFC 4648 base32, date-times, ids. */
import { describe, expect, it } from '@jest/globals'
import { newAccessToken, newId } from '../../src/simulator/ids.js'
import { seededRandom } from '../../src/simulator/random.js'
import { formatApiTime, formatSudoTime, parseDateTime } from '../../src/simulator/timestamps.js'
import { decodeBase32, hotp, totpAt, verifyTotp } from '../../src/simulator/totp.js'
import {
  RFC_4226_HOTP,
  RFC_6238_SHA1,
  RFC_KEY_ASCII,
  RFC_SECRET_BASE32
} from '../fixtures/rfc-otp-vectors.js'

const RFC_KEY = Buffer.from(RFC_KEY_ASCII)

describe('TOTP', () => {
  it('matches the RFC 4226 HOTP test values', () => {
    expect(RFC_4226_HOTP.map((_, counter) => hotp(RFC_KEY, counter))).toEqual(RFC_4226_HOTP)
  })

  it('matches the RFC 6238 SHA-1 test values (8 digits)', () => {
    for (const [seconds, code] of RFC_6238_SHA1) expect(totpAt(RFC_KEY, seconds * 1000, 8)).toBe(code)
  })

  it('verifies within one step either side only, and only six digits', () => {
    const at = 1_700_000_000_000
    expect(verifyTotp(RFC_KEY, totpAt(RFC_KEY, at), at)).toBe(true)
    expect(verifyTotp(RFC_KEY, totpAt(RFC_KEY, at - 30_000), at)).toBe(true)
    expect(verifyTotp(RFC_KEY, totpAt(RFC_KEY, at + 30_000), at)).toBe(true)
    expect(verifyTotp(RFC_KEY, totpAt(RFC_KEY, at + 90_000), at)).toBe(false)
    expect(verifyTotp(RFC_KEY, 'abcdef', at)).toBe(false)
    expect(verifyTotp(RFC_KEY, totpAt(RFC_KEY, at) + '0', at)).toBe(false)
  })

  it('decodes RFC 4648 base32, tolerating case, spaces and padding', () => {
    expect(decodeBase32('MZXW6YTBOI======').toString()).toBe('foobar')
    expect(decodeBase32(RFC_SECRET_BASE32).toString()).toBe(RFC_KEY_ASCII)
    expect(decodeBase32('mzxw 6ytb oi').toString()).toBe('foobar')
    expect(decodeBase32('JBSWY3DPEHPK3PXP').toString('hex')).toBe('48656c6c6f21deadbeef') // "Hello!" + 0xdeadbeef
    expect(() => decodeBase32('MZXW1')).toThrow(/base32/)
    expect(() => decodeBase32('')).toThrow(/empty/)
  })
})

describe('date-times', () => {
  it('formats as the API does', () => {
    const ms = Date.UTC(2021, 0, 14, 11, 52, 45, 999)
    expect(formatApiTime(ms)).toBe('2021-01-14T11:52:45Z')
    expect(formatSudoTime(ms)).toBe('2021-01-14T11:52:45+00:00')
  })

  it('parses RFC 3339 with any zone and refuses impossible or zoneless values', () => {
    expect(parseDateTime('2016-07-28T19:24:50+00:00')).toBe(Date.UTC(2016, 6, 28, 19, 24, 50))
    expect(parseDateTime('2016-07-28T19:24:50.5Z')).toBe(Date.UTC(2016, 6, 28, 19, 24, 50, 500))
    expect(parseDateTime('2016-07-28T21:24:50+0200')).toBe(Date.UTC(2016, 6, 28, 19, 24, 50))
    expect(parseDateTime('2016-07-28T14:24:50-05:00')).toBe(Date.UTC(2016, 6, 28, 19, 24, 50))
    for (const bad of [
      '2016-07-28',
      '2016-07-28T19:24:50',
      '2016-02-30T00:00:00Z',
      '2016-13-01T00:00:00Z',
      'x'
    ]) {
      expect(parseDateTime(bad)).toBeUndefined()
    }
  })
})

describe('ids', () => {
  it('are 22 base62 characters; access tokens 32 URL-safe base64 characters using the whole alphabet', () => {
    const random = seededRandom(1)
    const tokens = Array.from({ length: 200 }, () => newAccessToken(random))
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(tokens.join('')).toMatch(/-/)
    expect(tokens.join('')).toMatch(/_/)
    for (let i = 0; i < 200; i++) expect(newId(random)).toMatch(/^[A-Za-z0-9]{22}$/)
  })
})
