/**
 * POST /tokens answered 2xx with a body that is not a usable created token (a number for `name`,
 * an `access_token` with a line break, no `id`). The API minted something all the same, and a
 * token nobody holds stays valid until an expiry nobody checked. So the client takes it back at
 * once when it can identify it (DELETE /tokens/self with its own access token, else DELETE
 * /tokens/{id} with the client's API token) and throws this error, which says which happened.
 */
import { FastlyApiError, type FastlyApiErrorFields } from '../http/errors.js'

export type TakeBack =
  /** DELETE answered 204, or 401/404 (nothing left to revoke). */
  { revoked: true; how: string } | { revoked: false; why: string }

export class UnusableCreatedTokenError extends FastlyApiError {
  override name = 'UnusableCreatedTokenError'
  /** The id the answer carried, when it had the form of one. */
  readonly tokenId: string | undefined
  /** The token was revoked at once: nothing minted by this call is alive. */
  readonly revoked: boolean

  constructor(source: FastlyApiError, tokenId: string | undefined, takeBack: TakeBack) {
    const fields: FastlyApiErrorFields = FastlyApiError.fieldsOf(source)
    const which = tokenId === undefined ? 'the token it describes' : `token ${tokenId}`
    const outcome = takeBack.revoked
      ? `; ${which} was revoked at once (${takeBack.how})`
      : `; ${which} may be alive and could not be revoked (${takeBack.why})`
    super(source.message + outcome, fields)
    this.tokenId = tokenId
    this.revoked = takeBack.revoked
  }
}
