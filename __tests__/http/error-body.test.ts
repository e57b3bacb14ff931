import { describe, expect, it } from '@jest/globals'
import { errorBodyShape, parseErrorBody } from '../../src/http/error-body.js'

describe('parseErrorBody', () => {
  it.each([
    [
      'legacy msg + detail',
      { msg: 'Record not found', detail: 'no such token' },
      { apiMessage: 'Record not found', detail: 'no such token' }
    ],
    ['legacy machine msg', { msg: '2fa.verify' }, { apiMessage: '2fa.verify', code: '2fa.verify' }],
    [
      'legacy nested msg',
      { msg: { error: '2fa.verify', error_description: 'Invalid one-time password.' } },
      { apiMessage: 'Invalid one-time password.', code: '2fa.verify' }
    ],
    ['spec code', { code: 'invalid_grant' }, { code: 'invalid_grant' }],
    [
      'legacy machine msg with detail',
      { msg: 'invalid_grant', detail: 'Invalid username or password.' },
      { apiMessage: 'invalid_grant', code: 'invalid_grant', detail: 'Invalid username or password.' }
    ],
    ['a one-word sentence is not a code', { msg: 'Unauthorized' }, { apiMessage: 'Unauthorized' }],
    [
      'JSON:API',
      { errors: [{ title: 'Bad id', detail: 'must be alphanumeric', code: 'bad_id', status: '400' }] },
      { apiMessage: 'Bad id', detail: 'must be alphanumeric', code: 'bad_id' }
    ],
    ['JSON:API detail only', { errors: [{ detail: 'only detail' }] }, { apiMessage: 'only detail' }],
    [
      'problem+json',
      { type: 'about:blank', title: 'Too Many Requests', detail: 'slow down', status: 429 },
      { apiMessage: 'Too Many Requests', detail: 'slow down' }
    ],
    [
      'OAuth style',
      { error: 'invalid_grant', error_description: 'bad password' },
      { apiMessage: 'bad password', code: 'invalid_grant' }
    ]
  ])('%s', (_label, body, expected) => {
    expect(parseErrorBody(JSON.stringify(body))).toEqual(expected)
  })

  it('legacy msg wins over an errors array next to it (go-fastly reads msg as the title)', () => {
    expect(
      parseErrorBody(JSON.stringify({ msg: 'Bad request', errors: [{ title: 'other' }] })).apiMessage
    ).toBe('Bad request')
  })

  it('non-JSON, empty and odd JSON bodies', () => {
    expect(parseErrorBody('')).toEqual({})
    expect(parseErrorBody('   \n')).toEqual({})
    expect(parseErrorBody('Service Unavailable\n')).toEqual({ apiMessage: 'Service Unavailable' })
    expect(parseErrorBody('"just a string"')).toEqual({ apiMessage: '"just a string"' })
    expect(parseErrorBody('{"unrelated":true}')).toEqual({ apiMessage: '{"unrelated":true}' })
    expect(parseErrorBody('{"msg": 42}')).toEqual({ apiMessage: '42' })
  })

  it('long text is cut to one line of at most 500 characters plus an ellipsis', () => {
    const parsed = parseErrorBody(`<html>\n${'x'.repeat(2000)}</html>`)
    expect(parsed.apiMessage).toHaveLength(501)
    expect(parsed.apiMessage).not.toContain('\n')
  })
})

describe('errorBodyShape', () => {
  it('tells the API’s error bodies from other servers’ answers, and JSON cut short from both', () => {
    expect(errorBodyShape('{"msg":"Token lookup failed."}')).toBe(true)
    expect(errorBodyShape('{"errors":[{"title":"Not found"}]}')).toBe(true)
    expect(errorBodyShape('{"title":"Bad","status":400}')).toBe(true)
    expect(errorBodyShape('{"code":"2fa.verify"}')).toBe(true)
    for (const other of [
      '<html><body>404 Not Found</body></html>',
      'Not Found',
      '',
      '{"status":404,"path":"/tokens/self"}',
      '[]',
      '"msg"'
    ])
      expect(errorBodyShape(other)).toBe(false)
    expect(errorBodyShape('{"msg":"Token look')).toBeUndefined()
  })
})
