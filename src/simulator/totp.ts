import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * RFC 6238 one-time passwords (HMAC-SHA-1, 30-second steps, 6 digits), as authenticator apps
 * produce them for Fastly accounts with two-factor authentication. Written here rather than
 * shared with the client on purpose: a misreading of the RFC in one must not hide in the other.
 */

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const STEP_SECONDS = 30

/** Decodes an RFC 4648 base32 secret (case-insensitive; spaces, dashes and `=` padding ignored). */
export function decodeBase32(secret: string): Buffer {
  const clean = secret.replace(/[\s=-]/g, '').toUpperCase()
  if (clean.length === 0)
    throw new Error('TOTP secret is empty: expected a base32 string such as JBSWY3DPEHPK3PXP')
  const bytes: number[] = []
  let buffer = 0
  let bits = 0
  for (const char of clean) {
    const value = BASE32_ALPHABET.indexOf(char)
    if (value === -1) {
      throw new Error('TOTP secret is not base32: expected only the letters A-Z and the digits 2-7')
    }
    buffer = (buffer << 5) | value
    bits += 5
    if (bits >= 8) {
      bits -= 8
      bytes.push((buffer >>> bits) & 0xff)
    }
  }
  return Buffer.from(bytes)
}

/** RFC 4226 HOTP value for one counter. */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8)
  message.writeBigUInt64BE(BigInt(counter))
  const digest = createHmac('sha1', key).update(message).digest()
  const offset = digest[digest.length - 1]! & 0x0f
  const binary = digest.readUInt32BE(offset) & 0x7fffffff
  return String(binary % 10 ** digits).padStart(digits, '0')
}

/** The TOTP code valid at the given epoch milliseconds. */
export function totpAt(key: Buffer, atMs: number, digits = 6): string {
  return hotp(key, Math.floor(atMs / 1000 / STEP_SECONDS), digits)
}

/**
 * Accepts the code of the current step or of the step either side, the usual allowance for
 * clock drift between the phone and the server.
 */
export function verifyTotp(key: Buffer, code: string, atMs: number, window = 1): boolean {
  return matchedTotpStep(key, code, atMs, window) !== undefined
}

/** The time step whose code this is (within the window), undefined when none matches. */
export function matchedTotpStep(key: Buffer, code: string, atMs: number, window = 1): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined
  const step = Math.floor(atMs / 1000 / STEP_SECONDS)
  const given = Buffer.from(code)
  let matched: number | undefined
  for (let delta = -window; delta <= window; delta++) {
    // Compare every candidate in constant time and never stop early.
    if (timingSafeEqual(Buffer.from(hotp(key, step + delta)), given)) matched ??= step + delta
  }
  return matched
}
