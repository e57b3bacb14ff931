import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Answer } from './answer.js'
import type { RequestContext, SimCore } from './context.js'
import { legacyError, MESSAGES, rateLimited, serverFault } from './errors.js'
import type { FaultInjector, FaultPlan } from './faults.js'
import type { RequestLog, RequestLogEntry } from './log.js'
import { redactBody, redactHeaders } from './log.js'
import type { RouteMatch } from './router.js'
import { matchRoute } from './router.js'
import { currentRate } from './rules/rate-limit.js'

/** Bodies above this are refused (a bulk request of 100,000 ids still fits). */
const BODY_LIMIT_BYTES = 8 * 1024 * 1024

export interface ServerDeps {
  core: SimCore
  faults: FaultInjector
  log: RequestLog
  onRequest?: (entry: RequestLogEntry) => void
}

class BodyTooLarge extends Error {}

/** The peer address as the API reports it: `127.0.0.1`, not `::ffff:127.0.0.1`. */
function peerAddress(req: IncomingMessage): string | null {
  const address = req.socket.remoteAddress
  if (!address) return null
  return address.startsWith('::ffff:') ? address.slice(7) : address
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length']
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      text += chunk
      if (text.length > BODY_LIMIT_BYTES) {
        // Stop keeping the rest; the answer closes the connection.
        req.removeAllListeners('data')
        req.resume()
        reject(new BodyTooLarge())
      }
    })
    req.on('end', () => resolve(text))
    req.on('error', reject)
  })
}

/** A cut JSON text never parses: for objects and arrays any strict prefix is unbalanced. */
function malform(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)))
}

function routeNotFound(method: string, path: string): Answer {
  return legacyError(404, MESSAGES.recordNotFound, `No such endpoint: ${method} ${path}`)
}

/**
 * The HTTP front: one pass per request with map lookups only, no timers unless a delay is asked
 * for, and an in-memory log, so that the simulator is never the bottleneck of a benchmark.
 * Order: route, fault dice, body, delay, (failure before), handler, (failure after), answer, log.
 */
export function createSimulatorServer(deps: ServerDeps): { server: Server; shutdown(): void } {
  const closing = new AbortController()
  const server = createServer({ noDelay: true, keepAliveTimeout: 5_000 }, (req, res) => {
    serve(deps, closing.signal, req, res).catch((error: unknown) => {
      if (closing.signal.aborted || res.headersSent) {
        req.socket.destroy()
        return
      }
      const message = error instanceof Error ? error.message : String(error)
      const answer = legacyError(500, 'Internal Server Error', `Simulator error: ${message}`)
      writeAnswer(res, answer, undefined, true)
    })
  })
  return {
    server,
    shutdown() {
      closing.abort()
      server.closeAllConnections()
    }
  }
}

async function serve(deps: ServerDeps, signal: AbortSignal, req: IncomingMessage, res: ServerResponse) {
  const { core } = deps
  const method = req.method ?? 'GET'
  const url = req.url ?? '/'
  const query = url.indexOf('?')
  const path = query === -1 ? url : url.slice(0, query)
  const isRead = method === 'GET' || method === 'HEAD'
  const match: RouteMatch | undefined = matchRoute(method, path)
  const routeKey = match ? match.route.key : 'unknown'
  const plan = deps.faults.rules.length > 0 ? deps.faults.plan(routeKey, `${method} ${path}`) : undefined

  let body = ''
  let tooLarge = false
  if (hasBody(req)) {
    try {
      body = await readBody(req)
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error
      tooLarge = true
    }
  }
  const delay = core.settings.latencyMs + (plan ? plan.delayMs : 0)
  if (delay > 0) await sleep(delay, undefined, { signal })

  const ctx: RequestContext = {
    core,
    method,
    path,
    params: match ? match.params : {},
    headers: req.headers,
    body,
    query: new URLSearchParams(query === -1 ? '' : url.slice(query + 1)),
    remoteAddress: peerAddress(req),
    now: core.clock.now()
  }
  const failure = plan?.failure
  let answer: Answer | undefined
  if (tooLarge) {
    answer = legacyError(
      413,
      MESSAGES.payloadTooLarge,
      `Request bodies are limited to ${BODY_LIMIT_BYTES} bytes.`
    )
  } else if (failure && !failure.after) {
    answer = failAnswer(ctx, failure)
  } else {
    answer = match ? match.route.handle(ctx) : routeNotFound(method, path)
    if (failure) answer = failAnswer(ctx, failure)
  }

  if (answer) {
    const pending = writeAnswer(res, answer, isRead ? undefined : ctx, tooLarge, plan, signal)
    if (pending) await pending
  } else {
    req.socket.destroy()
  }
  record(deps, ctx, url, routeKey, answer ? answer.status : 0, plan)
}

/** undefined means: drop the connection. */
function failAnswer(ctx: RequestContext, failure: NonNullable<FaultPlan['failure']>): Answer | undefined {
  if (failure.kind === 'drop') return undefined
  if (failure.kind === 'rateLimit') {
    ctx.rate = { remaining: 0, resetEpochSeconds: (Math.floor(ctx.now / 3_600_000) + 1) * 3600 }
    return rateLimited()
  }
  return serverFault(failure.status)
}

/**
 * Writes status, headers and body. Non-GET answers (ctx given) carry the rate-limit headers
 * unless the setting turns them off; GET answers never do, as recorded. Returns a promise only for a slow body.
 */
function writeAnswer(
  res: ServerResponse,
  answer: Answer,
  writeCtx: RequestContext | undefined,
  closeAfter: boolean,
  plan?: FaultPlan,
  signal?: AbortSignal
): Promise<void> | undefined {
  const headers: OutgoingHttpHeaders = { 'Cache-Control': 'no-store' }
  let text: string | undefined
  if (answer.body !== undefined) {
    text = JSON.stringify(answer.body)
    if (plan?.malformedJson) text = malform(text)
    headers['Content-Type'] = 'application/json'
    headers['Content-Length'] = Buffer.byteLength(text)
  }
  if (writeCtx && writeCtx.core.settings.writeRateLimitHeaders) {
    const rate = currentRate(writeCtx)
    headers['Fastly-RateLimit-Remaining'] = String(rate.remaining)
    headers['Fastly-RateLimit-Reset'] = String(rate.resetEpochSeconds)
  }
  if (closeAfter) headers.Connection = 'close'
  res.writeHead(answer.status, headers)
  if (!plan || plan.slowBodyMs === 0) {
    res.end(text)
    return undefined
  }
  return slowly(res, text ?? '', plan.slowBodyMs, signal)
}

async function slowly(res: ServerResponse, text: string, ms: number, signal?: AbortSignal): Promise<void> {
  const bytes = Buffer.from(text)
  const half = Math.floor(bytes.length / 2)
  if (half > 0) res.write(bytes.subarray(0, half))
  else res.flushHeaders()
  await sleep(ms, undefined, { signal })
  res.end(bytes.subarray(half))
}

function record(
  deps: ServerDeps,
  ctx: RequestContext,
  url: string,
  route: string,
  status: number,
  plan: FaultPlan | undefined
): void {
  const body = redactBody(ctx.headers['content-type'], ctx.body)
  const entry: RequestLogEntry = {
    seq: deps.log.nextSeq(),
    time: new Date(ctx.now).toISOString(),
    method: ctx.method,
    path: url,
    route,
    status,
    headers: redactHeaders(ctx.headers),
    faults: plan ? plan.fired : []
  }
  if (body !== undefined) entry.body = body
  if (ctx.caller) {
    entry.user = ctx.caller.user.email
    if (ctx.caller.token) entry.tokenId = ctx.caller.token.id
  }
  deps.log.push(entry)
  if (deps.onRequest) {
    try {
      deps.onRequest(entry)
    } catch {
      // An observer's bug must not take the simulator down.
    }
  }
}
