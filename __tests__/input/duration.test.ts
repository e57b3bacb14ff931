import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import { formatDuration, parseDuration } from '../../src/input/index.js'

describe('parseDuration', () => {
  it.each([
    ['15m', 15 * 60_000],
    ['1h', 3_600_000],
    ['90m', 90 * 60_000],
    ['1h30m', 90 * 60_000],
    ['45s', 45_000],
    ['2d', 2 * 86_400_000],
    [' 1d2h3m4s ', 86_400_000 + 2 * 3_600_000 + 3 * 60_000 + 4_000]
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms })
  })

  it.each([
    ['', 'empty'],
    ['60', 'has no unit'],
    ['0m', 'not a positive duration'],
    ['1.5h', 'not a duration'],
    ['30m1h', 'not a duration'],
    ['-5m', 'not a duration'],
    ['1 h', 'not a duration'],
    ['1w', 'not a duration']
  ])('refuses "%s"', (text, problem) => {
    const result = parseDuration(text)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problem).toContain(problem)
  })

  it('round-trips every whole-second duration through formatDuration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 * 86_400 }), seconds => {
        const text = formatDuration(seconds * 1000)
        expect(parseDuration(text)).toEqual({ ok: true, value: seconds * 1000 })
      })
    )
  })

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), text => {
        const result = parseDuration(text)
        expect(typeof result.ok).toBe('boolean')
      })
    )
  })
})
