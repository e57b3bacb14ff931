import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { jsonText } from '../../src/text/json-text.js'
import { findForgedLines } from '../hardening/support/command-scan.js'

const hostileString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom('#', '[', ':', '\n', '\u2028', '\u009b', '\u200b', '\u001b', 'x', ' '),
    maxLength: 20
  })
)

describe('jsonText', () => {
  it('writes the same value with no line the runner reads as a command', () => {
    expect(jsonText({ name: '##[warning]x', note: 'a\u2028b\u009b' })).toBe(
      '{\n  "name": "##\\u005bwarning]x",\n  "note": "a\\u2028b\\u009b"\n}'
    )
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(hostileString, hostileString), (value, hostile) => {
        for (const v of [value, hostile, [hostile, value]]) {
          const text = jsonText(v)
          expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)))
          expect(findForgedLines(text)).toEqual([])
        }
      }),
      { numRuns: 1000 }
    )
  })
})
