import { describe, it, expect } from '@jest/globals'
import {
  MAX_DAYS,
  looksLikeTokenValue,
  parseCustomerId,
  parseDayCount,
  parseOneTimeCode
} from '../../src/input/index.js'
import { isWellFormedTokenId } from '../../src/revoke/index.js'

describe('parseCustomerId', () => {
  it('reads an alphanumeric id, trimmed', () => {
    expect(parseCustomerId(' demoCustomer0000000000 ')).toEqual({ ok: true, value: 'demoCustomer0000000000' })
  })
  it.each(['x/y', '../admin', 'a b', '', 'x'.repeat(65)])('refuses "%s"', text => {
    const result = parseCustomerId(text)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problem).toContain('expected an alphanumeric customer id')
  })
})

describe('parseDayCount', () => {
  it.each([
    ['1', 1],
    ['30', 30],
    [` ${MAX_DAYS} `, MAX_DAYS]
  ])('reads %s', (text, days) => expect(parseDayCount(text)).toEqual({ ok: true, value: days }))

  it.each(['0', '-1', '1.5', 'ten', '', String(MAX_DAYS + 1), '1e3'])('refuses "%s"', text => {
    const result = parseDayCount(text)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problem).toMatch(/^expected a whole number of days from 1 to 36500, got "/)
  })
})

describe('parseOneTimeCode', () => {
  it.each(['123456', '12345678', ' 654321 '])('reads %s', text =>
    expect(parseOneTimeCode(text)).toEqual({ ok: true, value: text.trim() })
  )
  it.each(['12345', '123456789', '12ab56', '12 3456'])('refuses "%s" without repeating it', text => {
    const result = parseOneTimeCode(text)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problem).not.toContain(text)
  })
})

describe('looksLikeTokenValue', () => {
  it.each([
    'QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7J', // recorded, 32 plain alphanumerics (a third of real tokens)
    'X-srxc_zLpchro9ngNBVgyofN_jqQFJ2', // recorded, with - and _
    'a'.repeat(25)
  ])('%s may be a token value', text => {
    expect(looksLikeTokenValue(text)).toBe(true)
    expect(isWellFormedTokenId(text)).toBe(false)
  })

  it.each(['2j1hEyxXOEqYaSipeZHaW4', 'a'.repeat(24), 'short', 'has blanks in it but is long enough'])(
    '%s is not',
    text => expect(looksLikeTokenValue(text)).toBe(false)
  )
})
