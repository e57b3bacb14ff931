/**
 * The broker's HTTP face: routes, the limits on everything a caller controls (header size, body
 * size, request time, requests in flight), JSON errors, the audit line per decision, and the
 * delivery of a minted token, which revokes the token at once when the caller is gone or the
 * write fails: a token nobody received must not live on.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { CreatedToken } from '../types.js'
import { auditLine, type AuditEntry, type AuditSink } from './audit.js'
import type { BrokerLimits } from './config.js'
import type { FastlyMinter } from './fastly-mint.js'
import type { BrokerMetrics } from './metrics.js'
import { Refusal } from './refusal.js'
import type { ExchangeResult, LateMint, TokenExchange } from './token-exchange.js'

export interface ServerParts {
  limits: BrokerLimits
  exchange: TokenExchange
  minter: FastlyMinter
  metrics: BrokerMetrics
  audit: AuditSink
  now: () => number
  /** True once close() began: new token requests get 503. */
  draining: () => boolean
}

const JSON_TYPE = 'application/json; charset=utf-8'
/** How long the broker tries to revoke a token it could not deliver. */
const REVOKE_DEADLINE_MS = 15_000

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': JSON_TYPE,
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers
  })
  res.end(body)
}

function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: code, message })
}

function sendRefusal(res: ServerResponse, refusal: Refusal, extra: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...extra }
  if (refusal.retryAfterS !== undefined) headers['Retry-After'] = String(refusal.retryAfterS)
  if (refusal.status === 401) headers['WWW-Authenticate'] = 'Bearer'
  send(res, refusal.status, errorBody(refusal.code, refusal.message), headers)
}

/** The body, up to the limit; a larger one is a 413 before it is read to the end. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(new Refusal(413, 'body_too_large', `the body is larger than ${maxBytes} bytes`))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        req.removeAllListeners('data')
        reject(new Refusal(413, 'body_too_large', `the body is larger than ${maxBytes} bytes`))
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** Whether the caller can still receive an answer. */
function callerPresent(req: IncomingMessage, res: ServerResponse): boolean {
  const socket = req.socket
  return !res.destroyed && !socket.destroyed && !socket.readableEnded && socket.writable
}

/** Writes the answer and settles true once it was handed to the connection, false if it was not. */
function deliver(req: IncomingMessage, res: ServerResponse, body: string): Promise<boolean> {
  if (!callerPresent(req, res)) return Promise.resolve(false)
  return new Promise(resolve => {
    res.once('finish', () => resolve(true))
    res.once('close', () => resolve(res.writableFinished))
    res.once('error', () => resolve(false))
    try {
      send(res, 200, body)
    } catch {
      resolve(false)
    }
  })
}

function tokenBody(token: CreatedToken, policy: string): string {
  return JSON.stringify({
    access_token: token.access_token,
    id: token.id,
    name: token.name,
    scope: token.scope,
    services: token.services,
    expires_at: token.expires_at,
    policy
  })
}

function allowEntry(token: CreatedToken, late: Omit<LateMint, 'minting'>): AuditEntry {
  return {
    decision: 'allow',
    reason: 'minted',
    status: 200,
    policy: late.grant.policy.name,
    claims: late.claims,
    token_id: token.id,
    scope: token.scope,
    services: token.services,
    ...(token.expires_at === null ? {} : { expires_at: token.expires_at })
  }
}

export interface BrokerServer {
  server: Server
  /** Revokes a token nobody received, and says so in the audit log and the metrics. */
  revokeUndelivered(token: CreatedToken, late: Omit<LateMint, 'minting'>): Promise<void>
}

export function createBrokerServer(parts: ServerParts): BrokerServer {
  const { limits, metrics } = parts
  const log = (entry: AuditEntry) => parts.audit(auditLine(entry, new Date(parts.now())))

  async function revokeUndelivered(token: CreatedToken, late: Omit<LateMint, 'minting'>): Promise<void> {
    const revoked = await parts.minter.revoke(token.access_token, parts.now() + REVOKE_DEADLINE_MS)
    const outcome = revoked ? 'revoked' : 'revoke_failed'
    metrics.lostDelivery(outcome)
    log({ ...allowEntry(token, late), reason: 'undelivered', undelivered: outcome })
  }

  async function tokenRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint()
    if (parts.draining()) {
      const refusal = new Refusal(503, 'shutting_down', 'the broker is shutting down; try again', 1)
      metrics.refused(refusal.code)
      log({ decision: 'deny', reason: refusal.code, status: refusal.status })
      return sendRefusal(res, refusal, { Connection: 'close' })
    }
    if (metrics.inFlight >= limits.maxConcurrent) {
      const refusal = new Refusal(
        503,
        'overloaded',
        'the broker is at its limit of requests in flight; try again',
        1
      )
      metrics.refused(refusal.code)
      log({ decision: 'deny', reason: refusal.code, status: refusal.status })
      return sendRefusal(res, refusal)
    }
    metrics.inFlight++
    try {
      const deadline = parts.now() + limits.requestTimeoutMs
      let result: ExchangeResult
      try {
        const body = await readBody(req, limits.maxBodyBytes)
        result = await parts.exchange.exchange(req.headers.authorization, body, deadline)
      } catch (error) {
        const refusal =
          error instanceof Refusal ? error : new Refusal(400, 'bad_request', 'the request could not be read')
        result = { kind: 'refused', refusal }
      }
      if (result.kind === 'refused') {
        const { refusal } = result
        metrics.refused(refusal.code)
        log({
          decision: 'deny',
          reason: refusal.code,
          status: refusal.status,
          ...(result.policy === undefined ? {} : { policy: result.policy }),
          ...(result.claims === undefined ? {} : { claims: result.claims })
        })
        // A body left unread (413) would be taken for the next request on this connection.
        return sendRefusal(res, refusal, refusal.status === 413 ? { Connection: 'close' } : {})
      }
      const { token, grant, claims } = result
      if (await deliver(req, res, tokenBody(token, grant.policy.name))) {
        metrics.minted(grant.policy.name)
        log(allowEntry(token, { grant, claims }))
        return
      }
      await revokeUndelivered(token, { grant, claims })
      if (!res.destroyed) res.destroy()
    } finally {
      metrics.inFlight--
      metrics.observe(Number(process.hrtime.bigint() - started) / 1e9)
    }
  }

  function route(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/v1/token') {
      if (req.method !== 'POST')
        return send(res, 405, errorBody('method_not_allowed', 'use POST'), { Allow: 'POST' })
      tokenRequest(req, res).catch(() => {
        if (!res.headersSent) send(res, 500, errorBody('internal_error', 'the broker failed'))
        else res.destroy()
      })
      return
    }
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      return send(
        res,
        parts.draining() ? 503 : 200,
        JSON.stringify({ status: parts.draining() ? 'draining' : 'ok' })
      )
    }
    if (path === '/metrics' && req.method === 'GET') {
      const text = metrics.render()
      res.writeHead(200, {
        'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
        'Content-Length': String(Buffer.byteLength(text))
      })
      res.end(text)
      return
    }
    send(res, 404, errorBody('not_found', 'the broker serves POST /v1/token, GET /healthz and GET /metrics'))
  }

  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      // The whole request must arrive within the request time; checked every second, not every 30.
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: 1_000,
      headersTimeout: Math.min(limits.requestTimeoutMs, 10_000),
      keepAliveTimeout: 5_000
    },
    route
  )
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) return socket.destroy()
    const [status, code, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', `the request headers are larger than ${limits.maxHeaderBytes} bytes`]
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'request_timeout', 'the request took too long to arrive']
          : [400, 'bad_request', 'the request is not valid HTTP']
    const body = errorBody(code, message)
    socket.end(
      `HTTP/1.1 ${status} ${code}\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
    )
  })
  return { server, revokeUndelivered }
}
