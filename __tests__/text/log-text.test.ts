import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { logText } from '../../src/text/log-text.js'

/**
 * Stricter than the runner on purpose: any line that starts with `::` after blanks counts, even
 * without the second `::` a real command needs, and so does `##[` anywhere.
 */
function parsesAsCommand(line: string): boolean {
  return /^\s*::/u.test(line) || line.includes('##[')
}

describe('logText', () => {
  it.each([
    ['x\n::error title=a::b', 'x\\n::error title=a::b'],
    ['::stop-commands::abc', '\\::stop-commands::abc'],
    ['  ::warning::x', '  \\::warning::x'],
    ['name ##[warning]forged', 'name ##\\[warning]forged'],
    ['a\r\nb\u2028c\u2029d\u0085e', 'a\\r\\nb\\u2028c\\u2029d\\x85e'],
    ['\u001b[31mred', '\\x1b[31mred'],
    ['back\\slash', 'back\\\\slash'],
    ['plain text: 2026-12-01T00:00:00Z', 'plain text: 2026-12-01T00:00:00Z']
  ])('shows %j as %j', (input, shown) => {
    expect(logText(input)).toBe(shown)
  })

  it('never yields a line break or a line that parses as a command, wherever the text is placed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.constantFrom('', '  ', 'prefix: '), (text, lead) => {
        const shown = logText(text)
        expect(shown).not.toMatch(/[\r\n\u2028\u2029\u0085]/u)
        expect(parsesAsCommand(lead + shown)).toBe(false)
      }),
      { numRuns: 2000 }
    )
  })

  it('finds commands planted among arbitrary text', () => {
    const planted = fc.tuple(
      fc.string(),
      fc.constantFrom('::error::x', '##[group]x', '::add-mask::x'),
      fc.string()
    )
    fc.assert(
      fc.property(planted, ([before, command, after]) => {
        const lines = logText(before + '\n' + command + after).split('\n')
        expect(lines).toHaveLength(1)
        expect(parsesAsCommand(lines[0])).toBe(false)
      })
    )
  })
})
