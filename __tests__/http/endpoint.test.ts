import { describe, expect, it } from '@jest/globals'
import { isLoopbackHost, resolveEndpoint } from '../../src/http/endpoint.js'
import { InsecureEndpointError } from '../../src/http/errors.js'

/** The error a call throws; fails the test when it throws nothing. */
function thrown(call: () => unknown): Error {
  try {
    call()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the call to throw, but it returned')
}

describe('resolveEndpoint', () => {
  it('baseUrl, then FASTLY_API_ENDPOINT, then the production API', () => {
    expect(resolveEndpoint('https://a.example', { FASTLY_API_ENDPOINT: 'https://b.example' }).origin).toBe(
      'https://a.example'
    )
    expect(resolveEndpoint(undefined, { FASTLY_API_ENDPOINT: 'https://b.example' }).origin).toBe(
      'https://b.example'
    )
    expect(resolveEndpoint(undefined, {})).toEqual({ origin: 'https://api.fastly.com', pathPrefix: '' })
  })

  it('keeps a path prefix without its trailing slash', () => {
    expect(resolveEndpoint('https://proxy.example/fastly/', {})).toEqual({
      origin: 'https://proxy.example',
      pathPrefix: '/fastly'
    })
  })

  it('refuses plain http off loopback, naming where the URL came from but not the URL', () => {
    expect(() => resolveEndpoint('http://api.fastly.com', {})).toThrow(InsecureEndpointError)
    const error = thrown(() =>
      resolveEndpoint(undefined, { FASTLY_API_ENDPOINT: 'http://10.1.2.3/secretpath' })
    )
    expect(error).toBeInstanceOf(InsecureEndpointError)
    expect((error as InsecureEndpointError).host).toBe('10.1.2.3')
    expect(error.message).toMatch(/^FASTLY_API_ENDPOINT uses plain http/)
    expect(error.message).not.toContain('secretpath')
  })

  it('a malformed URL is not echoed (it may be a pasted token)', () => {
    const error = thrown(() => resolveEndpoint('tokenValueNotAUrl', {}))
    expect(error.message).toMatch(/^baseUrl is not an absolute URL/)
    expect(error.message).not.toContain('tokenValueNotAUrl')
  })
})

describe('isLoopbackHost (after URL normalisation)', () => {
  const host = (url: string) => new URL(url).hostname
  it.each([
    'http://127.0.0.1',
    'http://127.255.255.254',
    'http://127.1',
    'http://0x7f.0.0.1',
    'http://[::1]',
    'http://localhost',
    'http://LOCALHOST'
  ])('%s is loopback', url => {
    expect(isLoopbackHost(host(url))).toBe(true)
  })
  it.each([
    'http://128.0.0.1',
    'http://10.0.0.1',
    'http://[::2]',
    'http://localhost.evil.example',
    'http://127.0.0.1.nip.io',
    'http://api.fastly.com'
  ])('%s is not', url => {
    expect(isLoopbackHost(host(url))).toBe(false)
  })
})
