import { describe, it, expect } from '@jest/globals'
import { DEFAULT_SCOPE, parseScope, parseServices, splitList } from '../../src/input/index.js'

describe('splitList', () => {
  it('splits on commas, newlines and blanks in any mix, drops empties and repeats, keeps order', () => {
    expect(splitList(' b, a\n\n b,,c\td ')).toEqual(['b', 'a', 'c', 'd'])
    expect(splitList('  \n, ')).toEqual([])
  })
})

describe('parseScope', () => {
  it('normalizes to the API form: each scope once, space-delimited, in the order given', () => {
    expect(parseScope('global\npurge_all')).toEqual({ ok: true, value: 'global purge_all' })
    expect(parseScope('purge_select, global:read purge_select')).toEqual({
      ok: true,
      value: 'purge_select global:read'
    })
    expect(parseScope(DEFAULT_SCOPE)).toEqual({ ok: true, value: 'global:read' })
  })

  it('refuses an unknown scope, naming it and the four it knows', () => {
    expect(parseScope('global:write GLOBAL')).toEqual({
      ok: false,
      problem: 'unknown scope "global:write", "GLOBAL"; expected global, purge_select, purge_all, global:read'
    })
  })

  it('refuses nothing at all: the default is the caller’s to apply', () => {
    expect(parseScope(' ,\n')).toEqual({
      ok: false,
      problem: 'it is empty; expected global, purge_select, purge_all, global:read'
    })
  })
})

describe('parseServices', () => {
  it('reads alphanumeric ids, each once; none means every service', () => {
    expect(parseServices(' a1, b2\n\na1 ')).toEqual({ ok: true, value: ['a1', 'b2'] })
    expect(parseServices('')).toEqual({ ok: true, value: [] })
  })

  it('refuses an id that could not go into a request path, quoting the first one', () => {
    expect(parseServices('abc,d-e,f/g')).toEqual({
      ok: false,
      problem: 'expected alphanumeric service ids separated by commas or newlines, got "d-e"'
    })
    expect(parseServices('x'.repeat(65)).ok).toBe(false)
  })
})
