import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { escapeControls } from '../../src/text/log-text.js'
import { markdownCode, markdownText } from '../../src/text/markdown-text.js'

/**
 * "No unescaped Markdown/HTML special character", made precise. The escaped text is read as a
 * Markdown renderer reads inline text, left to right, in tokens: a backslash with the ASCII
 * punctuation character after it (one literal character), one of the entities markdownText writes
 * (one literal character), or a single character. A token that is a single character must not be:
 * - a character that starts or ends GFM inline Markdown or HTML: \ ` * _ ~ [ ] | $ @ < > &
 *   (this rules out any other entity, tag, link and image (both need a bracket), emphasis, code
 *   span, strikethrough, math, cell separator and e-mail autolink);
 * - a line break or a control character (a line break would end a table row or a paragraph);
 * - the `:` of a `://`, or the `.` of a `www.` (bare-URL autolinks);
 * and the first token must not be a block marker (`#`, `-`, `+`, `=`, a blank, or the `.` or `)`
 * after leading digits). Decoding the tokens gives back the input as escapeControls shows it: nothing is
 * lost or added, only escaped.
 */
const SPECIAL = new Set([...'\\`*_~[]|$@<>&'])
const ENTITY = /^&(amp|lt|gt|quot|#\d+);/u
const DECODED: Record<string, string> = { amp: '&', lt: '<', gt: '>' }
const decodeEntity = (name: string) =>
  name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : DECODED[name]!

interface Token {
  literal: string
  escaped: boolean
}

function tokens(text: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < text.length) {
    const entity = ENTITY.exec(text.slice(i))
    if (text[i] === '\\' && i + 1 < text.length && /[!-/:-@[-`{-~]/u.test(text[i + 1]!)) {
      out.push({ literal: text[i + 1]!, escaped: true })
      i += 2
    } else if (entity) {
      out.push({ literal: decodeEntity(entity[1]!), escaped: true })
      i += entity[0].length
    } else {
      const c = String.fromCodePoint(text.codePointAt(i)!)
      out.push({ literal: c, escaped: false })
      i += c.length
    }
  }
  return out
}

/** Every violation of the rule above in an escaped text; empty when the text is inert. */
function liveMarkup(escaped: string): string[] {
  const found: string[] = []
  const ts = tokens(escaped)
  ts.forEach((t, index) => {
    if (t.escaped) return
    if (SPECIAL.has(t.literal)) found.push(`unescaped ${t.literal} at token ${index}`)
    if (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(t.literal)) found.push(`control at token ${index}`)
    const next = ts.slice(index + 1, index + 3).map(n => n.literal)
    if (t.literal === ':' && next.join('') === '//') found.push('a bare scheme://')
    const before = ts.slice(Math.max(0, index - 3), index)
    if (t.literal === '.' && before.length === 3 && before.every(b => !b.escaped && /^w$/iu.test(b.literal)))
      found.push('a bare www.')
  })
  const first = ts[0]
  if (first && !first.escaped && /^[#+= -]$/u.test(first.literal)) found.push('a leading block marker')
  const leadingDigits = ts.findIndex(t => !/^\d$/u.test(t.literal))
  if (leadingDigits > 0 && !ts[leadingDigits]!.escaped && /^[.)]$/u.test(ts[leadingDigits]!.literal))
    found.push('a leading ordered-list marker')
  return found
}

const decode = (escaped: string) =>
  tokens(escaped)
    .map(t => t.literal)
    .join('')

/** Strings rich in what matters here, and arbitrary ones. */
const markdownish = fc.oneof(
  fc.string({
    unit: fc.oneof(
      fc.constantFrom(
        ...'\\`*_~[]()!|#${}@<>&"\':/.-+=1) \n\r\tw',
        'www.',
        'http://',
        'HTTPS://',
        '&amp;',
        '<img src=x>',
        '\u2028',
        '\u001b'
      ),
      fc.string({ minLength: 1, maxLength: 1 })
    ),
    maxLength: 30
  }),
  fc.string({ unit: 'binary' })
)

describe('markdownText', () => {
  it.each([
    ['[x](javascript:alert(1))', '\\[x\\](javascript:alert(1))'],
    ['![i](http://evil.example/p.png)', '!\\[i\\](http\\://evil.example/p.png)'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['`code` **bold** _em_ ~~del~~', '\\`code\\` \\*\\*bold\\*\\* \\_em\\_ \\~\\~del\\~\\~'],
    ['<http://auto.link>', '&lt;http\\://auto.link&gt;'],
    ['see www.example.com', 'see www\\.example.com'],
    ['mail a@b.example', 'mail a\\@b.example'],
    ['# heading', '\\# heading'],
    ['- item', '\\- item'],
    ['1. item', '1\\. item'],
    ['2) item', '2\\) item'],
    ['a | b', 'a \\| b'],
    ['&amp; "q" \'s\'', '&amp;amp; "q" \'s\''],
    ['line\nbreak\r\nand\u2028more', 'line\\\\nbreak\\\\r\\\\nand\\\\u2028more'],
    ['$x$', '\\$x\\$'],
    ['ends in www', 'ends in ww&#119;'],
    ['ends in w', 'ends in &#119;'],
    ['ends in W', 'ends in &#87;'],
    ['ends in http:', 'ends in http\\:'],
    ['ends in http:/', 'ends in http\\:/'],
    ['not-an-id! (the reason)', 'not-an-id! (the reason)'],
    ['gha/octo-org/octo-repo/deploy-17', 'gha/octo-org/octo-repo/deploy-17']
  ])('escapes %j as %j', (input, escaped) => {
    expect(markdownText(input)).toBe(escaped)
    expect(liveMarkup(markdownText(input))).toEqual([])
  })

  it('the check finds live markup (it can fail)', () => {
    for (const raw of ['[x](y)', '<b>', 'a|b', 'http://x.example', 'www.x.example', '- x', '2. x', 'a\nb'])
      expect(liveMarkup(raw)).not.toEqual([])
  })

  it('leaves no unescaped Markdown or HTML special character in any string, and loses nothing', () => {
    fc.assert(
      fc.property(markdownish, text => {
        const escaped = markdownText(text)
        expect(liveMarkup(escaped)).toEqual([])
        expect(decode(escaped)).toBe(escapeControls(text))
      }),
      { numRuns: 3000 }
    )
  })

  it('forms no bare link with the sentence of ours around it', () => {
    // Our own words hold markup on purpose (parentheses, a leading capital): only the seams count.
    const bareLinks = (text: string) => liveMarkup(text).filter(finding => finding.startsWith('a bare'))
    fc.assert(
      fc.property(markdownish, markdownish, (a, b) => {
        expect(bareLinks(`${markdownText(a)}. Minted (${markdownText(b)}).`)).toEqual([])
        expect(bareLinks(`Minted ${markdownText(a)}//, ${markdownText(b)}: www`)).toEqual([])
      }),
      { numRuns: 1000 }
    )
  })

  // Every way a text can end in part of `://` or `www.` with the caller's words completing it
  // (once a random run found `:/` followed by our `//`): each split of each marker, after any
  // text, with anything or nothing in between that the caller's own words could not add.
  const MARKERS = ['://', 'www.', 'WWW.', 'wWw.']
  const SPLITS = MARKERS.flatMap(marker =>
    [...marker].slice(0, -1).map((_, cut) => [marker.slice(0, cut + 1), marker.slice(cut + 1)] as const)
  )

  it.each(SPLITS)('forms no bare link when a text ends in %j and the caller writes %j next', (head, tail) => {
    const bareLinks = (text: string) => liveMarkup(text).filter(finding => finding.startsWith('a bare'))
    for (const before of ['', 'x', 'http', 'ww', 'w', ':', 'https:/', '\\', 'a.b '])
      expect(bareLinks(`${markdownText(before + head)}${tail}example`)).toEqual([])
    fc.assert(
      fc.property(markdownish, before => {
        expect(bareLinks(`${markdownText(before + head)}${tail}example`)).toEqual([])
        expect(decode(markdownText(before + head))).toBe(escapeControls(before + head))
      }),
      { numRuns: 300 }
    )
  })

  it('the seam check finds a marker the caller completes (it can fail)', () => {
    const bareLinks = (text: string) => liveMarkup(text).filter(finding => finding.startsWith('a bare'))
    for (const [head, tail] of SPLITS) expect(bareLinks(`${head}${tail}example`)).not.toEqual([])
  })
})

describe('markdownCode', () => {
  it('keeps ids and dates as code spans and escapes anything else', () => {
    expect(markdownCode('2Ab3Cd4Ef5Gh6Ij7Kl8Mn')).toBe('`2Ab3Cd4Ef5Gh6Ij7Kl8Mn`')
    expect(markdownCode('2026-12-01T00:00:00Z')).toBe('`2026-12-01T00:00:00Z`')
    expect(markdownCode('x`y')).toBe('x\\`y')
    expect(markdownCode('')).toBe('')
  })

  it('never yields a code span a text could break out of', () => {
    fc.assert(
      fc.property(markdownish, text => {
        const out = markdownCode(text)
        if (out.startsWith('`')) expect(out.slice(1, -1)).toMatch(/^[A-Za-z0-9.:/+-]+$/u)
        else expect(liveMarkup(out)).toEqual([])
      }),
      { numRuns: 1000 }
    )
  })
})
