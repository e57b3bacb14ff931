/**
 * Endpoints that are not the Fastly API, over loopback: what a wrong --api-url, a corporate proxy
 * or a captive portal answers. Either every request gets the same non-API answer, or requests
 * are passed through to a real simulator except those `intercept` picks (a proxy that breaks
 * some routes only).
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type ImpostorAnswer =
  'html-404' | 'text-404' | 'empty-404' | 'redirect' | 'html-200' | 'json-not-api-404'

export const IMPOSTOR_ANSWERS: readonly ImpostorAnswer[] = [
  'html-404',
  'text-404',
  'empty-404',
  'redirect',
  'html-200',
  'json-not-api-404'
]

function answer(res: ServerResponse, kind: ImpostorAnswer): void {
  switch (kind) {
    case 'html-404':
      res.writeHead(404, { 'Content-Type': 'text/html' })
      return void res.end('<html><body><h1>404 Not Found</h1><p>nginx</p></body></html>')
    case 'text-404':
      res.writeHead(404, { 'Content-Type': 'text/plain' })
      return void res.end('Not Found')
    case 'empty-404':
      res.writeHead(404)
      return void res.end()
    case 'redirect':
      res.writeHead(302, { Location: 'https://login.example.com/portal' })
      return void res.end()
    case 'html-200':
      res.writeHead(200, { 'Content-Type': 'text/html' })
      return void res.end('<html><body>Welcome to the hotel wifi</body></html>')
    case 'json-not-api-404':
      // JSON, but not a Fastly error body: another API's, or a framework's default.
      res.writeHead(404, { 'Content-Type': 'application/json' })
      return void res.end('{"status":404,"path":"/tokens/self","timestamp":"2030-01-15T12:00:05Z"}')
  }
}

export interface Impostor {
  url: string
  /** Requests seen, as "METHOD /path". */
  seen: string[]
  close(): Promise<void>
}

export async function startImpostor(
  kind: ImpostorAnswer,
  passTo?: { url: string; intercept: (method: string, path: string) => boolean }
): Promise<Impostor> {
  const seen: string[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET'
    const path = req.url ?? '/'
    seen.push(`${method} ${path}`)
    if (!passTo || passTo.intercept(method, path)) {
      req.resume()
      return answer(res, kind)
    }
    const target = new URL(path, passTo.url)
    const upstream = request(target, { method, headers: req.headers }, up => {
      res.writeHead(up.statusCode ?? 502, up.headers)
      up.pipe(res)
    })
    upstream.on('error', () => {
      res.writeHead(502)
      res.end()
    })
    req.pipe(upstream)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
