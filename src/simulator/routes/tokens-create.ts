import type { Answer } from '../answer.js'
import { isAnswer, jsonAnswer } from '../answer.js'
import type { RequestContext } from '../context.js'
import { headerValue } from '../context.js'
import { forbidden, grantError, legacyError, MESSAGES, unauthorized } from '../errors.js'
import { isAlphanumericId } from '../ids.js'
import type { MintInput } from '../mint.js'
import { mintToken } from '../mint.js'
import type { SimUser } from '../model.js'
import type { TwoFactorShape } from '../options.js'
import type { Params } from '../params.js'
import { parseParams } from '../params.js'
import {
  authenticateKey,
  basicCredentials,
  hasSudo,
  passwordMatches,
  requireWriteScope
} from '../rules/auth.js'
import { chargeWrite } from '../rules/rate-limit.js'
import { KNOWN_SCOPES, parseScope } from '../rules/scope.js'
import { checkSecondFactor } from '../rules/two-factor.js'
import { createdTokenBody } from '../shapes.js'
import { parseDateTime } from '../timestamps.js'

/**
 * POST /tokens. Two ways in, as the record shows: the account's `username` + `password` form
 * fields with no Fastly-Key (the docs and fastlyctl; HTTP basic auth is also accepted since the
 * spec declares it), or a Fastly-Key whose token holds a sudo grant (go-fastly and the CLI call
 * POST /sudo first). Then the form is validated, then a 2FA account must show a valid OTP.
 */
export function createToken(ctx: RequestContext): Answer {
  const shape = ctx.core.settings.twoFactorShape
  const params = parseParams(ctx.headers['content-type'], ctx.body)
  if (!params) return grantError(shape, 'invalid_request', 'The request body is not a JSON object.')

  const user =
    headerValue(ctx.headers['fastly-key']) !== undefined ? viaKey(ctx, params) : viaPassword(ctx, params)
  if (isAnswer(user)) return user

  const input = readCreateInput(params, ctx.now, shape)
  if (isAnswer(input)) return input
  const challenge = checkSecondFactor(ctx, user)
  if (challenge) return challenge

  const token = mintToken(ctx.core, user, input, ctx.now)
  return jsonAnswer(200, createdTokenBody(token))
}

function viaKey(ctx: RequestContext, params: Params): SimUser | Answer {
  const caller = authenticateKey(ctx)
  if (isAnswer(caller)) return caller
  const refused = chargeWrite(ctx, caller.user) ?? requireWriteScope(caller.token)
  if (refused) return refused
  const username = params.get('username')
  if (username && username.toLowerCase() !== caller.user.email.toLowerCase()) {
    return forbidden('The username is not the owner of this token.')
  }
  if (!hasSudo(caller.token, ctx.now)) {
    // The real API's words (fastly-ruby's tests, go-fastly #765): the client retries this one.
    return legacyError(403, MESSAGES.sudoNeeded)
  }
  return caller.user
}

function viaPassword(ctx: RequestContext, params: Params): SimUser | Answer {
  const basic = basicCredentials(headerValue(ctx.headers.authorization))
  const username = params.get('username') ?? basic?.username
  const password = params.get('password') ?? basic?.password
  if (!username && !password) {
    return unauthorized('Send the username and password form fields, or a Fastly-Key in sudo mode.')
  }
  const user = username ? ctx.core.store.userByEmail(username) : undefined
  if (!user || !password || !passwordMatches(user, password)) {
    return grantError(ctx.core.settings.twoFactorShape, 'invalid_grant', 'Invalid username or password.')
  }
  ctx.caller = { user }
  return chargeWrite(ctx, user) ?? user
}

/** name, scope, services[] (or services, or the legacy service_id) and expires_at. */
export function readCreateInput(params: Params, now: number, shape: TwoFactorShape): MintInput | Answer {
  const scope = parseScope(params.getAll('scope'))
  if (!scope.ok) {
    return grantError(
      shape,
      'invalid_scope',
      `Unknown scope ${scope.unknown.map(s => JSON.stringify(s)).join(', ')}: expected a space-delimited combination of ${KNOWN_SCOPES.join(', ')}.`
    )
  }

  let listed = [...params.getAll('services[]'), ...params.getAll('services')]
  const legacy = params.get('service_id')
  if (listed.length === 0 && legacy) listed = [legacy]
  const services: string[] = []
  for (const raw of listed) {
    const service = raw.trim()
    if (!isAlphanumericId(service)) {
      return grantError(
        shape,
        'invalid_request',
        `services: ${JSON.stringify(raw)} is not an alphanumeric service id.`
      )
    }
    if (!services.includes(service)) services.push(service)
  }

  let expiresAt: number | null = null
  const expiresText = params.get('expires_at')
  if (expiresText !== undefined && expiresText.trim() !== '') {
    const parsed = parseDateTime(expiresText)
    if (parsed === undefined) {
      return legacyError(
        422,
        MESSAGES.expiresAtFormat,
        'expires_at must be an ISO 8601 date-time with a zone, such as 2016-07-28T19:24:50+00:00.'
      )
    }
    if (parsed <= now) return grantError(shape, 'invalid_request', 'expires_at must be in the future.')
    expiresAt = parsed
  }

  return { name: params.get('name') ?? '', scopes: scope.scopes, services, expiresAt }
}
