/**
 * Small loopback servers for the hardening scenarios: a recorder that stands for "another host"
 * (it records whatever reaches it, including proxy CONNECT attempts, and answers nothing useful),
 * and a front that forwards to the simulator but answers chosen routes itself (a redirect to the
 * other host, or a body of its choosing), the way a misbehaving proxy or API would.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface Seen {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

export interface LoopbackServer {
  url: string
  port: number
  /** Requests and CONNECT attempts, in arrival order. */
  seen: Seen[]
  /** What went back to the client, for requests the front forwarded (status and body as passed on). */
  answers: Array<{ method: string; url: string; status: number; body: string }>
  close(): Promise<void>
}

async function listen(server: Server, sockets: Set<Socket>): Promise<number> {
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  return (server.address() as AddressInfo).port
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>(resolve => server.close(() => resolve()))
  }
}

function readBody(req: import('node:http').IncomingMessage): Promise<string> {
  return new Promise(resolve => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
  })
}

/**
 * "Another host": records everything that reaches it. As an HTTP proxy it refuses every tunnel,
 * so a client pointed at it through HTTPS_PROXY gets no further and nothing leaves the machine.
 */
export async function startRecorder(): Promise<LoopbackServer> {
  const seen: Seen[] = []
  const sockets = new Set<Socket>()
  const server = createServer(async (req, res) => {
    const body = await readBody(req)
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
    res.writeHead(418, { 'Content-Type': 'application/json', Connection: 'close' })
    res.end('{"msg":"this host should never have been asked"}')
  })
  server.on('connect', (req, socket: Socket) => {
    seen.push({ method: 'CONNECT', url: req.url ?? '', headers: req.headers, body: '' })
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
  })
  const port = await listen(server, sockets)
  return { url: `http://127.0.0.1:${port}`, port, seen, answers: [], close: closer(server, sockets) }
}

/** An upstream answer as the front passes it back (after a `rewrite`). */
export interface FrontAnswer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/**
 * What the front answers itself for a route (`'POST /tokens'`, or `'*'` for every request):
 * a redirect, a body of its own, or the upstream's answer rewritten (the request still reaches
 * the simulator, so a token is really minted behind an odd answer).
 */
export type FrontOverride =
  | { redirectTo: string; status?: 301 | 302 | 303 | 307 | 308 }
  | { status: number; body: string; contentType?: string }
  | { rewrite: (answer: FrontAnswer) => FrontAnswer }

/**
 * Forwards every request to `target` unchanged (headers, body, status and body back), except the
 * routes it overrides. `seen` records what reached the front itself.
 */
export async function startFront(
  target: string,
  overrides: Record<string, FrontOverride>
): Promise<LoopbackServer> {
  const upstream = new URL(target)
  const seen: Seen[] = []
  const answers: LoopbackServer['answers'] = []
  const sockets = new Set<Socket>()
  const server = createServer(async (req, res) => {
    const body = await readBody(req)
    const method = req.method ?? 'GET'
    const url = req.url ?? '/'
    seen.push({ method, url, headers: req.headers, body })
    const override = overrides[`${method} ${url.split('?')[0]}`] ?? overrides['*']
    if (override && 'redirectTo' in override) {
      res.writeHead(override.status ?? 307, {
        Location: `${override.redirectTo}${url}`,
        'Content-Length': '0'
      })
      res.end()
      return
    }
    if (override && 'body' in override) {
      res.writeHead(override.status, { 'Content-Type': override.contentType ?? 'application/json' })
      res.end(override.body)
      return
    }
    const rewrite = override && 'rewrite' in override ? override.rewrite : undefined
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method, path: url, headers: req.headers },
      answer => {
        const status = answer.statusCode ?? 502
        if (!rewrite) res.writeHead(status, answer.headers)
        const chunks: Buffer[] = []
        answer.on('data', (c: Buffer) => {
          chunks.push(c)
          if (!rewrite) res.write(c)
        })
        const done = () => {
          let passed: FrontAnswer = {
            status,
            headers: answer.headers,
            body: Buffer.concat(chunks).toString('utf8')
          }
          if (rewrite) {
            passed = rewrite(passed)
            const headers = { ...passed.headers, 'content-length': String(Buffer.byteLength(passed.body)) }
            delete headers['transfer-encoding']
            res.writeHead(passed.status, headers)
            res.write(passed.body)
          }
          answers.push({ method, url, status: passed.status, body: passed.body })
          res.end()
        }
        answer.on('end', done)
        // The upstream dropped the connection (an injected fault): drop ours too, as a proxy would.
        answer.on('error', () => res.destroy())
        answer.on('aborted', () => res.destroy())
      }
    )
    forward.on('error', () => res.socket?.destroy())
    forward.end(body)
  })
  const port = await listen(server, sockets)
  return { url: `http://127.0.0.1:${port}`, port, seen, answers, close: closer(server, sockets) }
}
