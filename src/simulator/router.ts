import type { Answer } from './answer.js'
import type { RequestContext } from './context.js'
import {
  createAutomationToken,
  getAutomationToken,
  listAutomationTokens
} from './routes/automation-tokens.js'
import { listTokensCustomer } from './routes/customer-tokens.js'
import { requestSudo } from './routes/sudo.js'
import { bulkRevokeTokens } from './routes/tokens-bulk.js'
import { createToken } from './routes/tokens-create.js'
import { getToken, getTokenCurrent, listTokensUser } from './routes/tokens-read.js'
import { revokeToken, revokeTokenCurrent } from './routes/tokens-revoke.js'

export interface Route {
  /** `METHOD /template`, the name fault rules and the request log use. */
  key: string
  handle(ctx: RequestContext): Answer
}

export interface RouteMatch {
  route: Route
  params: Record<string, string>
}

function route(key: string, handle: (ctx: RequestContext) => Answer): Route {
  return { key, handle }
}

export const ROUTES = {
  listTokensUser: route('GET /tokens', listTokensUser),
  createToken: route('POST /tokens', createToken),
  bulkRevokeTokens: route('DELETE /tokens', bulkRevokeTokens),
  getTokenCurrent: route('GET /tokens/self', getTokenCurrent),
  revokeTokenCurrent: route('DELETE /tokens/self', revokeTokenCurrent),
  getToken: route('GET /tokens/{token_id}', getToken),
  revokeToken: route('DELETE /tokens/{token_id}', revokeToken),
  listTokensCustomer: route('GET /customer/{customer_id}/tokens', listTokensCustomer),
  requestSudo: route('POST /sudo', requestSudo),
  listAutomationTokens: route('GET /automation-tokens', listAutomationTokens),
  createAutomationToken: route('POST /automation-tokens', createAutomationToken),
  getAutomationToken: route('GET /automation-tokens/{token_id}', getAutomationToken)
} as const

/** One path segment, percent-decoded; undefined if empty, nested or badly encoded. */
function segment(raw: string): string | undefined {
  if (raw === '' || raw.includes('/')) return undefined
  try {
    return decodeURIComponent(raw)
  } catch {
    return undefined
  }
}

/**
 * The eight Tokens operations and POST /sudo, matched with string tests rather than a regex
 * table (this runs on every request). HEAD is answered as GET. Anything else: undefined (404).
 */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  const verb = method === 'HEAD' ? 'GET' : method
  const none = {}
  if (path === '/tokens') {
    if (verb === 'GET') return { route: ROUTES.listTokensUser, params: none }
    if (verb === 'POST') return { route: ROUTES.createToken, params: none }
    if (verb === 'DELETE') return { route: ROUTES.bulkRevokeTokens, params: none }
    return undefined
  }
  if (path === '/tokens/self') {
    if (verb === 'GET') return { route: ROUTES.getTokenCurrent, params: none }
    if (verb === 'DELETE') return { route: ROUTES.revokeTokenCurrent, params: none }
    return undefined
  }
  if (path === '/automation-tokens') {
    if (verb === 'GET') return { route: ROUTES.listAutomationTokens, params: none }
    if (verb === 'POST') return { route: ROUTES.createAutomationToken, params: none }
    return undefined
  }
  if (path.startsWith('/automation-tokens/') && verb === 'GET') {
    const tokenId = segment(path.slice('/automation-tokens/'.length))
    return tokenId === undefined
      ? undefined
      : { route: ROUTES.getAutomationToken, params: { token_id: tokenId } }
  }
  if (path === '/sudo') return verb === 'POST' ? { route: ROUTES.requestSudo, params: none } : undefined
  if (path.startsWith('/tokens/')) {
    const tokenId = segment(path.slice('/tokens/'.length))
    if (tokenId === undefined) return undefined
    if (verb === 'GET') return { route: ROUTES.getToken, params: { token_id: tokenId } }
    if (verb === 'DELETE') return { route: ROUTES.revokeToken, params: { token_id: tokenId } }
    return undefined
  }
  if (path.startsWith('/customer/') && path.endsWith('/tokens') && verb === 'GET') {
    const customerId = segment(path.slice('/customer/'.length, -'/tokens'.length))
    if (customerId !== undefined)
      return { route: ROUTES.listTokensCustomer, params: { customer_id: customerId } }
  }
  return undefined
}
