import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import { parseApiUrl } from '../../src/action/api-url.js'
import { parseBoolean } from '../../src/action/booleans.js'

describe('parseBoolean (YAML 1.2 core, as core.getBooleanInput)', () => {
  it.each(['true', 'True', 'TRUE'])('%s is true', text => expect(parseBoolean(text)).toBe(true))
  it.each(['false', 'False', 'FALSE'])('%s is false', text => expect(parseBoolean(text)).toBe(false))
  it.each(['yes', 'no', 'on', '1', 'tRuE', ''])('%s is not a boolean', text =>
    expect(parseBoolean(text)).toBeUndefined()
  )
})

describe('parseApiUrl', () => {
  it.each([
    ['https://api.fastly.com', 'https://api.fastly.com'],
    ['https://api.fastly.com/', 'https://api.fastly.com'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['http://localhost:1234/', 'http://localhost:1234'],
    ['http://[::1]:9000', 'http://[::1]:9000']
  ])('accepts %s', (text, url) => expect(parseApiUrl(text)).toEqual({ ok: true, url }))

  it.each([
    ['http://api.fastly.com', 'loopback'],
    ['http://10.0.0.1', 'loopback'],
    ['ftp://127.0.0.1', 'https'],
    ['api.fastly.com', 'absolute URL'],
    ['https://user:pw@api.fastly.com', 'credentials'],
    ['https://api.fastly.com/?x=1', 'query']
  ])('refuses %s', (text, problem) => {
    const result = parseApiUrl(text)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problem).toContain(problem)
  })

  it('never accepts plain http to a host that is not loopback', () => {
    fc.assert(
      fc.property(fc.domain(), host => {
        fc.pre(host !== 'localhost')
        expect(parseApiUrl(`http://${host}`).ok).toBe(false)
      })
    )
  })
})
