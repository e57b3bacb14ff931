import { describe, expect, it } from '@jest/globals'
import { totp } from '../../src/client/index.js'
import { decodeBase32, hotp } from '../../src/client/totp.js'
import {
  RFC_4226_HOTP,
  RFC_6238_SHA1,
  RFC_KEY_ASCII,
  RFC_SECRET_BASE32 as RFC_SECRET
} from '../fixtures/rfc-otp-vectors.js'

describe('totp (RFC 6238, SHA-1, 30 s)', () => {
  it('the base32 secret decodes to the RFC seed', () => {
    expect(decodeBase32(RFC_SECRET).toString('ascii')).toBe(RFC_KEY_ASCII)
  })

  it.each([...RFC_6238_SHA1])(
    'T=%i s gives %s (8 digits) and its last 6 digits by default',
    (seconds, code) => {
      expect(totp(RFC_SECRET, seconds * 1000, 8)).toBe(code)
      expect(totp(RFC_SECRET, seconds * 1000)).toBe(code.slice(2))
    }
  )

  it('RFC 4226 HOTP vectors (counters 0-9)', () => {
    const key = Buffer.from(RFC_KEY_ASCII, 'ascii')
    expect(RFC_4226_HOTP.map((_, counter) => hotp(key, counter))).toEqual(RFC_4226_HOTP)
  })

  it('the same code within a 30-second step, another in the next', () => {
    expect(totp(RFC_SECRET, 60_000)).toBe(totp(RFC_SECRET, 89_999))
    expect(totp(RFC_SECRET, 90_000)).not.toBe(totp(RFC_SECRET, 89_999))
  })

  it('tolerates lower case, spaces, hyphens and padding', () => {
    const at = 1_234_567_890_000
    const expected = totp('JBSWY3DPEHPK3PXP', at)
    expect(totp('jbsw y3dp ehpk 3pxp', at)).toBe(expected)
    expect(totp('JBSW-Y3DP-EHPK-3PXP', at)).toBe(expected)
    expect(totp('JBSWY3DPEHPK3PXP====', at)).toBe(expected)
    expect(decodeBase32('JBSWY3DPEHPK3PXP')).toEqual(Buffer.from('48656c6c6f21deadbeef', 'hex'))
  })

  it('bad base32 is a clear error that does not echo the secret', () => {
    for (const bad of ['JBSWY3DP1HPK3PXP', 'JBSWY3DP!HPK3PXP', 'JBSWY3DP0HPK3PXP']) {
      let message = ''
      try {
        totp(bad)
      } catch (error) {
        message = (error as Error).message
      }
      expect(message).toMatch(/TOTP secret is not valid base32: character 9/)
      expect(message).not.toContain('JBSWY3DP')
    }
    expect(() => totp('   ')).toThrow(/TOTP secret is empty/)
    expect(() => totp('A')).toThrow(/too short/)
  })

  it('refuses a time that is not an epoch in milliseconds', () => {
    expect(() => totp(RFC_SECRET, Number.NaN)).toThrow(/non-negative epoch time/)
    expect(() => totp(RFC_SECRET, -1)).toThrow(/non-negative epoch time/)
  })
})
