import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { buildUserAgent, PACKAGE_VERSION, PRODUCT_TOKEN } from '../../src/http/user-agent.js'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string
  version: string
}

describe('User-Agent', () => {
  it("the version is package.json's", () => {
    expect(PACKAGE_VERSION).toBe(pkg.version)
    expect(PRODUCT_TOKEN).toBe(`${pkg.name}/${pkg.version}`)
  })

  it('a prefix comes first and the package product token last', () => {
    expect(buildUserAgent()).toBe(PRODUCT_TOKEN)
    expect(buildUserAgent('  ')).toBe(PRODUCT_TOKEN)
    expect(buildUserAgent('acme-deploy/3.1')).toBe(`acme-deploy/3.1 ${PRODUCT_TOKEN}`)
    expect(() => buildUserAgent('x\ny')).toThrow(/single-line/)
    expect(() => buildUserAgent('d\u00e9ploiement/1')).toThrow(/printable ASCII/)
    expect(() => buildUserAgent('deploy\u20ac/1')).toThrow(/printable ASCII/)
  })
})
