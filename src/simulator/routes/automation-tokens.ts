import type { Answer } from '../answer.js'
import { isAnswer, jsonAnswer } from '../answer.js'
import type { RequestContext } from '../context.js'
import { badRequest, forbidden, legacyError, MESSAGES, tokenNotFound } from '../errors.js'
import { mintToken } from '../mint.js'
import type { SimUser } from '../model.js'
import { authenticateKey, hasSudo, requireWriteScope } from '../rules/auth.js'
import { chargeWrite } from '../rules/rate-limit.js'
import { KNOWN_SCOPES } from '../rules/scope.js'
import { automationTokenBody } from '../shapes.js'
import { parseDateTime } from '../timestamps.js'

/**
 * Automation tokens (reference §5.3): managed by superusers only. Created with a JSON body after
 * POST /sudo (200 and a flat record, as recorded, though the spec says 201 and a wrapper), listed
 * in pages (`data` and `meta`), read by id. Revoked through the ordinary DELETE /tokens/{id} (and
 * the bulk DELETE /tokens), and GET /tokens/{id} shows them like any token.
 */

const ROLES = ['billing', 'engineer', 'user'] as const

function superuser(ctx: RequestContext): SimUser | Answer {
  const caller = authenticateKey(ctx)
  if (isAnswer(caller)) return caller
  if (caller.user.role !== 'superuser') return forbidden('Only superusers may manage automation tokens.')
  return caller.user
}

/** GET /automation-tokens?page=&per_page= */
export function listAutomationTokens(ctx: RequestContext): Answer {
  const user = superuser(ctx)
  if (isAnswer(user)) return user
  const perPage = Math.min(100, Math.max(1, Number(ctx.query.get('per_page') ?? '20') || 20))
  const page = Math.max(1, Number(ctx.query.get('page') ?? '1') || 1)
  const all = [...ctx.core.store.automationTokensOf(user.customerId)]
  const data = all.slice((page - 1) * perPage, page * perPage).map(t => automationTokenBody(t))
  return jsonAnswer(200, {
    data,
    meta: {
      per_page: perPage,
      current_page: page,
      record_count: all.length,
      total_pages: Math.max(1, Math.ceil(all.length / perPage))
    }
  })
}

/** GET /automation-tokens/{id} */
export function getAutomationToken(ctx: RequestContext): Answer {
  const user = superuser(ctx)
  if (isAnswer(user)) return user
  const id = ctx.params.token_id!
  const token = ctx.core.store.tokenById(id)
  if (!token?.automation || token.customerId !== user.customerId)
    return tokenNotFound(`No automation token with id ${id}.`)
  return jsonAnswer(200, automationTokenBody(token))
}

/** POST /automation-tokens, JSON body {name, role, scope, services, tls_access, expires_at?} */
export function createAutomationToken(ctx: RequestContext): Answer {
  const caller = authenticateKey(ctx)
  if (isAnswer(caller)) return caller
  const refused = chargeWrite(ctx, caller.user) ?? requireWriteScope(caller.token)
  if (refused) return refused
  if (caller.user.role !== 'superuser') return forbidden('Only superusers may create automation tokens.')
  if (!hasSudo(caller.token, ctx.now)) return legacyError(403, MESSAGES.sudoNeeded)
  let body: Record<string, unknown>
  try {
    const parsed: unknown = JSON.parse(ctx.body)
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error()
    body = parsed as Record<string, unknown>
  } catch {
    return badRequest('The request body is not a JSON object.')
  }
  const name = body.name
  if (typeof name !== 'string' || name.trim() === '') return badRequest('name is required.')
  const role = body.role ?? 'engineer'
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
    return badRequest(`role must be one of ${ROLES.join(', ')}.`)
  const scopes =
    typeof body.scope === 'string' && body.scope.trim() !== '' ? body.scope.trim().split(/\s+/) : ['global']
  if (scopes.some(s => !(KNOWN_SCOPES as readonly string[]).includes(s))) return badRequest('Unknown scope.')
  const services = Array.isArray(body.services)
    ? body.services.filter((s): s is string => typeof s === 'string')
    : []
  let expiresAt: number | null = null
  if (typeof body.expires_at === 'string' && body.expires_at !== '') {
    const parsed = parseDateTime(body.expires_at)
    if (parsed === undefined || parsed <= ctx.now) return badRequest('expires_at must be a future date-time.')
    expiresAt = parsed
  }
  const token = mintToken(
    ctx.core,
    caller.user,
    { name, scopes, services, expiresAt, automation: { role, tlsAccess: body.tls_access === true } },
    ctx.now
  )
  return jsonAnswer(200, automationTokenBody(token, true))
}
