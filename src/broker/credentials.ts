/** The one minting credential, from the environment only (never the config file, never argv). */
import { totp } from '../client/totp.js'

export interface MintingCredential {
  username: string
  password: string
  /** Base32; when set every mint sends `totp(secret)` as the one-time password. */
  totpSecret?: string
}

export class CredentialError extends Error {
  override name = 'CredentialError'
}

export function readCredential(env: Record<string, string | undefined>): MintingCredential {
  const username = env.FASTLY_BROKER_USERNAME?.trim() ?? ''
  const password = env.FASTLY_BROKER_PASSWORD ?? ''
  if (username === '' || password === '') {
    const missing = [
      username === '' ? 'FASTLY_BROKER_USERNAME' : '',
      password === '' ? 'FASTLY_BROKER_PASSWORD' : ''
    ]
      .filter(n => n !== '')
      .join(' and ')
    throw new CredentialError(
      `${missing} not set: the broker mints with the Fastly user's credential from the environment ` +
        '(FASTLY_BROKER_USERNAME, FASTLY_BROKER_PASSWORD, and FASTLY_BROKER_TOTP_SECRET for a 2FA account)'
    )
  }
  const secret = env.FASTLY_BROKER_TOTP_SECRET?.trim()
  if (secret === undefined || secret === '') return { username, password }
  try {
    totp(secret)
  } catch (error) {
    // The parser's message names a position only, never the secret.
    throw new CredentialError(`FASTLY_BROKER_TOTP_SECRET: ${(error as Error).message}`)
  }
  return { username, password, totpSecret: secret }
}
