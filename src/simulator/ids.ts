import type { RandomSource } from './random.js'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const URL_SAFE_BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
/** Largest multiple of 62 below 2^32: values at or above it are redrawn so every letter is equally likely. */
const BASE62_LIMIT = Math.floor(0x1_0000_0000 / 62) * 62

/** Real token, user and service ids are 22 base62 characters (a few are 21). */
export const ID_LENGTH = 22
/** Real access tokens are 32 characters of the URL-safe base64 alphabet, `-` and `_` included. */
export const ACCESS_TOKEN_LENGTH = 32

/** A 22-character base62 id, like `2j1hEyxXOEqYaSipeZHaW4`. */
export function newId(random: RandomSource): string {
  let id = ''
  while (id.length < ID_LENGTH) {
    const value = random.nextUint32()
    if (value < BASE62_LIMIT) id += BASE62[value % 62]
  }
  return id
}

/** A 32-character URL-safe access token, like `X-srxc_zLpchro9ngNBVgyofN_jqQFJ2`. */
export function newAccessToken(random: RandomSource): string {
  let token = ''
  while (token.length < ACCESS_TOKEN_LENGTH) token += URL_SAFE_BASE64[random.nextUint32() >>> 26]
  return token
}

/** Ids the simulator accepts from seeds and paths: base62, at most 64 characters. */
export function isAlphanumericId(value: string): boolean {
  return /^[A-Za-z0-9]{1,64}$/.test(value)
}
