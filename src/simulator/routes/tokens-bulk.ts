import { BULK_CONTENT_TYPE } from '../../types.js'
import type { Answer } from '../answer.js'
import { isAnswer, noContent } from '../answer.js'
import type { RequestContext } from '../context.js'
import { badRequest, forbidden, legacyError, MESSAGES, tokenNotFound } from '../errors.js'
import type { TokenRecord } from '../model.js'
import { parseMediaType } from '../params.js'
import { authenticateKey, requireWriteScope } from '../rules/auth.js'
import { chargeWrite } from '../rules/rate-limit.js'
import { reachOf } from '../rules/visibility.js'

const BODY_EXAMPLE = '{"data":[{"type":"token","id":"<token id>"}]}'
/** Ids named in an error detail, at most; the rest are counted. */
const IDS_IN_DETAIL = 20

/** `application/vnd.api+json` with the `bulk` extension, in any parameter order, spacing, case or quoting. */
export function isBulkContentType(header: string | undefined): boolean {
  const media = parseMediaType(header)
  if (!media || media.type !== 'application/vnd.api+json') return false
  return (media.params.get('ext') ?? '')
    .toLowerCase()
    .split(/[\s,]+/)
    .includes('bulk')
}

function listIds(ids: string[]): string {
  const shown = ids.slice(0, IDS_IN_DETAIL).join(', ')
  return ids.length > IDS_IN_DETAIL ? `${shown} and ${ids.length - IDS_IN_DETAIL} more` : shown
}

/** The ids of a JSON:API bulk body, or a 400 saying what is wrong with it. */
function readBulkIds(body: string, maxIds: number): string[] | Answer {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return badRequest(`The body is not JSON; expected ${BODY_EXAMPLE}.`)
  }
  const data = (parsed as { data?: unknown } | null)?.data
  if (!Array.isArray(data)) return badRequest(`The body must be a JSON:API bulk document: ${BODY_EXAMPLE}.`)
  if (data.length === 0) return badRequest('data must list at least one token.')
  if (data.length > maxIds) {
    return legacyError(
      400,
      MESSAGES.bulkLimit,
      `Too many token ids in one request: ${data.length} given, the limit is ${maxIds}.`
    )
  }
  const ids = new Set<string>()
  for (const [index, item] of data.entries()) {
    const { type, id } = (item ?? {}) as { type?: unknown; id?: unknown }
    if (type !== 'token' || typeof id !== 'string' || id === '') {
      return badRequest(`data[${index}] must be {"type":"token","id":"<token id>"}.`)
    }
    ids.add(id)
  }
  return [...ids]
}

/**
 * DELETE /tokens, the JSON:API bulk revoke: one write against the rate limit however many ids.
 * What the real API does with an unknown or foreign id, and how many ids it takes, is not on
 * record, hence `bulkPolicy` and `maxBulkIds`: all-or-nothing refuses the whole request (404
 * for unknown ids, else 403 for other users' tokens, naming them) and revokes nothing;
 * skip-unknown revokes what the caller may revoke, skips the rest, and answers 204.
 */
export function bulkRevokeTokens(ctx: RequestContext): Answer {
  const caller = authenticateKey(ctx)
  if (isAnswer(caller)) return caller
  const refused = chargeWrite(ctx, caller.user) ?? requireWriteScope(caller.token)
  if (refused) return refused
  if (!isBulkContentType(ctx.headers['content-type'])) {
    return badRequest(`Content-Type must be ${BULK_CONTENT_TYPE}.`)
  }
  const ids = readBulkIds(ctx.body, ctx.core.settings.maxBulkIds)
  if (isAnswer(ids)) return ids

  const store = ctx.core.store
  const revocable: TokenRecord[] = []
  const unknown: string[] = []
  const denied: string[] = []
  for (const id of ids) {
    const target = store.tokenById(id)
    const reach = reachOf(caller.user, target)
    if (reach === 'unknown') unknown.push(id)
    else if (reach === 'forbidden') denied.push(id)
    else revocable.push(target!)
  }
  if (ctx.core.settings.bulkPolicy === 'all-or-nothing') {
    if (unknown.length > 0)
      return tokenNotFound(`No token with id: ${listIds(unknown)}. Nothing was revoked.`)
    if (denied.length > 0) {
      return forbidden(
        `Only superusers may revoke the tokens of other users: ${listIds(denied)}. Nothing was revoked.`
      )
    }
  }
  for (const token of revocable) store.removeToken(token)
  return noContent()
}
