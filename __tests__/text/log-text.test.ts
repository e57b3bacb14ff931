import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { guardLines, logText } from '../../src/text/log-text.js'
import {
  findForgedLines,
  holdsLegacyCommand,
  parseCommandLine,
  runnerLines
} from '../hardening/support/command-scan.js'

/**
 * Stricter than the runner on purpose: any line that starts with `::` after blanks counts, even
 * without the second `::` a real command needs, and so does `##[` anywhere.
 */
function parsesAsCommand(line: string): boolean {
  return /^\s*::/u.test(line) || holdsLegacyCommand(line) || parseCommandLine(line) !== undefined
}

/** Text rich in the pieces that matter: colons, hashes, brackets, blanks, line breaks, controls. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom(':', '#', '[', ']', ' ', '\t', '\n', '\r', '\u2028', '\u0085', '\u200b', '\\', 'x'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })
  ),
  maxLength: 40
})

/** Undoes logText: proves nothing is lost or added, only shown escaped. */
function unshow(shown: string): string {
  return shown.replace(/\\(u\{[0-9a-f]+\}|u[0-9a-f]{4}|x[0-9a-f]{2}|[nrt\\:#[])/gu, (_, code: string) => {
    if (code === 'n') return '\n'
    if (code === 'r') return '\r'
    if (code === 't') return '\t'
    if (code.startsWith('u{')) return String.fromCodePoint(parseInt(code.slice(2, -1), 16))
    if (code.startsWith('u') || code.startsWith('x')) return String.fromCodePoint(parseInt(code.slice(1), 16))
    return code
  })
}

describe('logText', () => {
  it.each([
    ['x\n::error title=a::b', 'x\\n::error title=a::b'],
    ['::stop-commands::abc', '\\::stop-commands::abc'],
    ['  ::warning::x', '  \\::warning::x'],
    [':single', '\\:single'],
    ['name ##[warning]forged', 'name ##\\[warning]forged'],
    ['#[group]x', '\\#[group]x'],
    ['ends in #', 'ends in \\#'],
    ['a\r\nb\u2028c\u2029d\u0085e', 'a\\r\\nb\\u2028c\\u2029d\\x85e'],
    ['\u001b[31mred\u009b0m', '\\x1b[31mred\\x9b0m'],
    ['right-to-left \u202eevil\u202c, zero\u200bwidth', 'right-to-left \\u202eevil\\u202c, zero\\u200bwidth'],
    ['tag \u{e0041}', 'tag \\u{e0041}'],
    ['back\\slash', 'back\\\\slash'],
    ['plain text: 2026-12-01T00:00:00Z', 'plain text: 2026-12-01T00:00:00Z']
  ])('shows %j as %j', (input, shown) => {
    expect(logText(input)).toBe(shown)
  })

  it('never yields a line break or a line the runner reads as a command, wherever the text is placed', () => {
    fc.assert(
      fc.property(
        fc.oneof(hostile, fc.string({ unit: 'binary' })),
        fc.constantFrom('', '  ', '\u00a0', 'prefix: ', 'PR #'),
        (text, lead) => {
          const shown = logText(text)
          expect(runnerLines(shown)).toHaveLength(1)
          expect(shown).not.toMatch(/[\r\n\u2028\u2029\u0085]/u)
          expect(parsesAsCommand(lead + shown)).toBe(false)
          expect(findForgedLines(lead + shown)).toEqual([])
          expect(unshow(shown)).toBe(text)
        }
      ),
      { numRuns: 3000 }
    )
  })

  it('stays safe when fragments are printed next to each other', () => {
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 5 }), fc.constantFrom('', ' ', '  '), (parts, lead) => {
        const line = lead + parts.map(logText).join('')
        expect(parsesAsCommand(line)).toBe(false)
      }),
      { numRuns: 2000 }
    )
  })

  it('finds commands planted among arbitrary text', () => {
    const planted = fc.tuple(
      fc.string(),
      fc.constantFrom('::error::x', '##[group]x', '::add-mask::x', '::stop-commands::t', ' ::warning::x'),
      fc.string()
    )
    fc.assert(
      fc.property(planted, ([before, command, after]) => {
        const lines = runnerLines(logText(before + '\n' + command + after))
        expect(lines).toHaveLength(1)
        expect(parsesAsCommand(lines[0]!)).toBe(false)
      })
    )
  })
})

describe('guardLines', () => {
  it('keeps our own line breaks and breaks the commands in each line', () => {
    expect(guardLines('ok\n::error::x\r\n  ::warning::y\nname ##[group]z\u001b[1m')).toBe(
      'ok\n\\::error::x\n  \\::warning::y\nname ##\\[group]z\\x1b[1m'
    )
  })

  it('leaves a logText result alone, and no line of its result is a command', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(hostile, fc.string({ unit: 'binary' })), { maxLength: 4 }), parts => {
        const safe = parts.map(logText)
        expect(guardLines(safe.join('\n'))).toBe(safe.join('\n'))
        const guarded = guardLines(parts.join('\n'))
        for (const line of runnerLines(guarded)) expect(parsesAsCommand(line)).toBe(false)
        expect(findForgedLines(guarded)).toEqual([])
      }),
      { numRuns: 2000 }
    )
  })
})
