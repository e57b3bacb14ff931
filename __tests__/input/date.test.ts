import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import { parseDateOrAge } from '../../src/input/index.js'

const NOW = Date.parse('2025-01-01T00:00:00Z')

describe('parseDateOrAge', () => {
  it.each([
    ['2024-06-01', '2024-06-01T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2024-06-01T12:30:00Z', '2024-06-01T12:30:00.000Z'],
    ['2024-06-01T12:30:00.250Z', '2024-06-01T12:30:00.250Z'],
    ['2024-06-01T12:30:00+02:00', '2024-06-01T10:30:00.000Z'],
    ['2024-06-01T12:30:00-0130', '2024-06-01T14:00:00.000Z'],
    [' 2024-06-01 ', '2024-06-01T00:00:00.000Z']
  ])('reads the date %s', (text, iso) => {
    const result = parseDateOrAge(text, NOW)
    expect(result.ok && result.value.toISOString()).toBe(iso)
  })

  it.each([
    ['30d', NOW - 30 * 86_400_000],
    ['12h', NOW - 12 * 3_600_000],
    ['1d12h', NOW - 36 * 3_600_000]
  ])('reads the age %s as that long before now', (text, ms) => {
    expect(parseDateOrAge(text, NOW)).toEqual({ ok: true, value: new Date(ms) })
  })

  // new Date('2024-02-31T00:00:00Z') is 2 March in V8: a responder who typed it meant something else.
  it.each(['2024-02-31', '2023-02-29', '2024-04-31T10:00:00Z', '2024-13-01', '2024-00-10'])(
    'refuses the impossible calendar date %s instead of rolling it over',
    text => {
      expect(parseDateOrAge(text, NOW).ok).toBe(false)
    }
  )

  it.each(['yesterday', 'last week', '2024/06/01', '01-06-2024', '2024-06-01T25:00:00Z', '60', ''])(
    'refuses "%s", saying what is expected and quoting it',
    text => {
      const result = parseDateOrAge(text, NOW)
      expect(result).toEqual({
        ok: false,
        problem: `expected a date (2024-01-31 or 2024-01-31T12:00:00Z) or an age like 30d, got "${text.trim()}"`
      })
    }
  )

  it('never throws, and a date it accepts is a real instant', () => {
    fc.assert(
      fc.property(fc.string(), text => {
        const result = parseDateOrAge(text, NOW)
        if (result.ok) expect(Number.isNaN(result.value.getTime())).toBe(false)
      })
    )
  })
})
