import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { REDACTED, redactSecrets } from '../../src/http/redact.js'

describe('redactSecrets', () => {
  it('removes raw, percent-encoded and form-encoded spellings', () => {
    const secret = 'p@ss word&=+'
    const text = `raw ${secret} uri ${encodeURIComponent(secret)} form ${new URLSearchParams({ s: secret }).toString().slice(2)}`
    expect(redactSecrets(text, [secret])).toBe(`raw ${REDACTED} uri ${REDACTED} form ${REDACTED}`)
  })

  it('a secret containing another is removed whole, and the marker is never rewritten', () => {
    expect(redactSecrets('token abcdef', ['abc', 'abcdef'])).toBe(`token ${REDACTED}`)
    expect(redactSecrets('abc', ['abc', 'red'])).toBe(REDACTED)
  })

  it('undefined and empty secrets are skipped', () => {
    expect(redactSecrets('plain text', [undefined, ''])).toBe('plain text')
  })

  it('property: no secret survives in any text', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        (secret, before, after) => {
          const out = redactSecrets(`${before}${secret}${after}${encodeURIComponent(secret)}`, [secret])
          expect(out.split(REDACTED).join('\u0000')).not.toContain(secret)
        }
      )
    )
  })
})
