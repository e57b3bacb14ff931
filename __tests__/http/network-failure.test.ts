import { describe, expect, it } from '@jest/globals'
import { describeNetworkFailure } from '../../src/http/network-failure.js'

function coded(code: string): Error {
  return Object.assign(new Error(`boom ${code}`), { code })
}

describe('describeNetworkFailure', () => {
  it.each([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'UND_ERR_CONNECT_TIMEOUT'
  ])('%s happened before anything was sent', code => {
    expect(describeNetworkFailure(coded(code))).toMatchObject({ code, beforeSending: true })
  })

  it.each(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'SOMETHING_NEW'])(
    '%s may have reached the server',
    code => {
      expect(describeNetworkFailure(coded(code)).beforeSending).toBe(false)
    }
  )

  it('reads the code of a happy-eyeballs AggregateError and of a cause', () => {
    const aggregate = Object.assign(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]), {})
    expect(describeNetworkFailure(aggregate).code).toBe('ECONNREFUSED')
    expect(describeNetworkFailure(new Error('fetch failed', { cause: coded('ENOTFOUND') })).code).toBe(
      'ENOTFOUND'
    )
    expect(describeNetworkFailure('weird').code).toBe('network_error')
  })
})
