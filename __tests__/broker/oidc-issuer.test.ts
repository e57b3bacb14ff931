/** The tests' own OIDC issuer: what it publishes verifies its tokens, its forgeries are each
 *  wrong in the named way, and @actions/core's getIDToken gets a token from its runner endpoint. */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { getIDToken } from '@actions/core'
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { startOidcIssuer, type OidcIssuer } from '../support/oidc-issuer.js'

let issuer: OidcIssuer
beforeAll(async () => {
  issuer = await startOidcIssuer()
})
afterAll(() => issuer.close())

async function discover() {
  const config = (await (await fetch(`${issuer.url}/.well-known/openid-configuration`)).json()) as {
    issuer: string
    jwks_uri: string
  }
  return { config, jwks: createRemoteJWKSet(new URL(config.jwks_uri)) }
}

describe('the test OIDC issuer', () => {
  it('publishes a discovery document and JWKS that verify its ID tokens', async () => {
    const { config, jwks } = await discover()
    expect(config.issuer).toBe(issuer.url)
    const token = await issuer.idToken({ environment: 'staging', run_id: '42' })
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: issuer.url,
      audience: 'fastly-token-broker',
      algorithms: ['RS256']
    })
    expect(protectedHeader.kid).toBe(issuer.key.kid)
    expect(payload).toMatchObject({ repository: 'acme/shop', environment: 'staging', run_id: '42' })
    expect(typeof payload.jti).toBe('string')
  })

  it('removes a claim overridden with undefined', async () => {
    expect(decodeJwt(await issuer.idToken({ environment: undefined }))).not.toHaveProperty('environment')
  })

  it('forges tokens that a strict verifier refuses, each for its own reason', async () => {
    const { jwks } = await discover()
    const claims = issuer.claims()
    const verify = (token: string) =>
      jwtVerify(token, jwks, { issuer: issuer.url, audience: 'fastly-token-broker', algorithms: ['RS256'] })
    const forged = {
      none: issuer.forge.algNone(claims),
      hmac: await issuer.forge.hmacWithPublicKey(claims),
      sameKid: await issuer.forge.otherKeySameKid(claims),
      unknownKid: await issuer.forge.unknownKid(claims),
      tampered: await issuer.forge.tamperedPayload(claims, { repository: 'evil/repo' })
    }
    expect(decodeProtectedHeader(forged.none).alg).toBe('none')
    expect(decodeProtectedHeader(forged.hmac).alg).toBe('HS256')
    expect(decodeProtectedHeader(forged.sameKid).kid).toBe(issuer.key.kid)
    expect(decodeJwt(forged.tampered).repository).toBe('evil/repo')
    for (const token of Object.values(forged)) await expect(verify(token)).rejects.toThrow()
    await expect(verify(await issuer.sign(claims))).resolves.toBeDefined()
  })

  it('rotates to a new key that the JWKS publishes next to the old one', async () => {
    const old = issuer.key.kid
    const fresh = await issuer.rotate()
    const { keys } = (await (await fetch(`${issuer.url}/.well-known/jwks`)).json()) as {
      keys: { kid: string }[]
    }
    expect(keys.map(k => k.kid)).toEqual(expect.arrayContaining([old, fresh.kid]))
    expect(decodeProtectedHeader(await issuer.idToken()).kid).toBe(fresh.kid)
  })

  it('serves the runner ID-token endpoint the way @actions/core calls it', async () => {
    const saved = { ...process.env }
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
    try {
      Object.assign(process.env, issuer.runner.env())
      issuer.runner.claims = { environment: 'production', workflow: 'release' }
      const token = await getIDToken('fastly-token-broker')
      expect(issuer.runner.issued).toContain(token)
      const claims = decodeJwt(token)
      expect(claims).toMatchObject({ aud: 'fastly-token-broker', workflow: 'release', iss: issuer.url })

      process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'wrong'
      await expect(getIDToken('fastly-token-broker')).rejects.toThrow()
    } finally {
      write.mockRestore()
      process.env = saved
      issuer.runner.claims = {}
    }
  })
})
