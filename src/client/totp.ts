import { createHmac } from 'node:crypto'

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/**
 * RFC 4648 base32, as authenticator apps show secrets: case, spaces, hyphens and `=` padding are
 * tolerated. A bad character is reported by position only, since the text is a secret.
 */
export function decodeBase32(secret: string): Buffer {
  if (typeof secret !== 'string') throw new TypeError('TOTP secret must be a base32 string')
  const cleaned = secret.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase()
  if (cleaned === '')
    throw new TypeError('TOTP secret is empty (expected base32 such as the one an authenticator app shows)')
  const bytes: number[] = []
  let buffer = 0
  let bits = 0
  for (let i = 0; i < cleaned.length; i++) {
    const value = BASE32_ALPHABET.indexOf(cleaned[i] as string)
    if (value === -1) {
      throw new TypeError(
        `TOTP secret is not valid base32: character ${i + 1} (after removing spaces) is outside A-Z and 2-7`
      )
    }
    buffer = ((buffer << 5) | value) & 0xffff // at most 12 unread bits are ever needed
    bits += 5
    if (bits >= 8) {
      bits -= 8
      bytes.push((buffer >>> bits) & 0xff)
    }
  }
  if (bytes.length === 0) throw new TypeError('TOTP secret is too short to hold a key')
  return Buffer.from(bytes)
}

/** RFC 4226 HOTP with HMAC-SHA-1 and dynamic truncation. */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8)
  message.writeBigUInt64BE(BigInt(counter))
  const mac = createHmac('sha1', key).update(message).digest()
  const offset = (mac[mac.length - 1] as number) & 0x0f
  const binary = mac.readUInt32BE(offset) & 0x7fffffff
  return String(binary % 10 ** digits).padStart(digits, '0')
}

/**
 * The current one-time password for an account's TOTP secret (RFC 6238: SHA-1, 30-second steps,
 * 6 digits, the parameters Fastly's authenticator enrolment uses). Pass it as `otp` to
 * `createToken`. `digits` exists for the RFC's own 8-digit test vectors.
 */
export function totp(secretBase32: string, atMs: number = Date.now(), digits = 6): string {
  if (typeof atMs !== 'number' || !Number.isFinite(atMs) || atMs < 0) {
    throw new TypeError(`totp time must be a non-negative epoch time in milliseconds, got ${String(atMs)}`)
  }
  if (!Number.isInteger(digits) || digits < 6 || digits > 8)
    throw new TypeError('totp digits must be 6, 7 or 8')
  const counter = Math.floor(atMs / 1000 / 30)
  return hotp(decodeBase32(secretBase32), counter, digits)
}
