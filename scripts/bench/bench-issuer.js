/**
 * A minimal OIDC issuer for the broker benchmark: an RSA key from jose, its discovery document
 * and JWKS over loopback, and ID tokens signed in advance (signing is the issuer's cost, not the
 * broker's, so it stays outside every timed loop).
 */
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'

export const BENCH_AUDIENCE = 'fastly-token-broker'
export const BENCH_REPOSITORY = 'acme/bench'

export async function startBenchIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256')
  const kid = 'bench-key'
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  let url = ''
  const server = createServer((req, res) => {
    const body =
      req.url === '/.well-known/openid-configuration'
        ? { issuer: url, jwks_uri: `${url}/.well-known/jwks` }
        : req.url === '/.well-known/jwks'
          ? { keys: [jwk] }
          : undefined
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify(body ?? {}))
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${server.address().port}`
  return {
    url,
    /** `count` ID tokens of one job, each with its own jti. */
    async sign(count) {
      const now = Math.floor(Date.now() / 1000)
      const tokens = []
      for (let i = 0; i < count; i++) {
        tokens.push(
          await new SignJWT({
            jti: randomUUID(),
            repository: BENCH_REPOSITORY,
            ref: 'refs/heads/main',
            workflow: 'bench',
            run_id: String(1000 + i),
            run_attempt: '1',
            actor: 'bench',
            sha: 'a'.repeat(40),
            event_name: 'push'
          })
            .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
            .setIssuer(url)
            .setAudience(BENCH_AUDIENCE)
            .setIssuedAt(now)
            .setExpirationTime(now + 600)
            .sign(privateKey)
        )
      }
      return tokens
    },
    close: () => new Promise(resolve => server.close(resolve))
  }
}
