/**
 * A tiny real HTTP server for exact-bytes tests: it records every request as received (method,
 * path, raw header names, body bytes) and answers from a script. The client under test talks to
 * it over loopback through its own undici stack; nothing of the client is faked.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface RecordedRequest {
  method: string
  /** Path and query as sent. */
  url: string
  /** Header names lower-cased (node's view). */
  headers: IncomingHttpHeaders
  /** Header names and values as sent, in order. */
  rawHeaders: string[]
  body: string
  /** The client's port: the same value on two requests means one kept-alive connection. */
  remotePort: number | undefined
}

/** One scripted answer. */
export type Reply =
  | { status: number; headers?: Record<string, string | string[]>; body?: string }
  /** Read the request, then destroy the connection without answering. */
  | { drop: true }
  /** Read the request and never answer (until the server closes). */
  | { hang: true }
  /** Send the status and headers, then stall the body. */
  | { stallBody: true; status: number }

export type Script = Reply[] | ((req: RecordedRequest, index: number) => Reply)

export interface ScriptedServer {
  url: string
  port: number
  requests: RecordedRequest[]
  /** Replace the script (and keep the recorded requests). */
  script(next: Script): void
  close(): Promise<void>
}

function answer(res: ServerResponse, reply: Reply): void {
  if ('drop' in reply) {
    res.socket?.destroy()
    return
  }
  if ('hang' in reply) return
  if ('stallBody' in reply) {
    res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': '100' })
    res.write('{"id":')
    return
  }
  res.writeHead(reply.status, reply.headers ?? {})
  res.end(reply.body ?? '')
}

export async function startScriptedServer(
  initial: Script,
  options: { host?: string; port?: number } = {}
): Promise<ScriptedServer> {
  let script = initial
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
        remotePort: req.socket.remotePort
      }
      const index = requests.length
      requests.push(recorded)
      const reply =
        typeof script === 'function'
          ? script(recorded, index)
          : (script[index] ?? { status: 599, body: `{"msg":"unscripted request #${index + 1}"}` })
      answer(res, reply)
    })
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const urlHost = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${urlHost}:${port}`,
    port,
    requests,
    script(next) {
      script = next
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}

/** A loopback port with nothing listening (bound once, then released). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

/** JSON reply helper. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) }
}
