/** The exit-code contract: the table, its priority, and --help showing the same codes. */
import { describe, it, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { runCli } from '../../src/cli/run.js'
import { combineExitCodes, EXIT, exitCodeForOutcome, type ExitCode } from '../../src/cli/exit-codes.js'

describe('exit codes', () => {
  it('are the agreed numbers', () => {
    expect(EXIT).toEqual({ ok: 0, unknown: 1, usage: 2, api: 3, internal: 4, rerun: 5 })
  })

  it('combine by priority: usage, api, rerun, unknown, ok, whatever the order and repeats', () => {
    const order: ExitCode[] = [EXIT.usage, EXIT.api, EXIT.rerun, EXIT.unknown, EXIT.ok]
    // Every subset of the five, in two orders: the winner is the first of the priority list present.
    for (let mask = 1; mask < 1 << order.length; mask++) {
      const subset = order.filter((_, i) => mask & (1 << i))
      expect(combineExitCodes(subset)).toBe(subset[0])
      expect(combineExitCodes([...subset].reverse().concat(subset))).toBe(subset[0])
    }
    expect(combineExitCodes([])).toBe(EXIT.ok)
    expect(combineExitCodes([EXIT.usage, EXIT.internal])).toBe(EXIT.internal)
  })

  it.each([
    ['revoked', undefined, EXIT.ok],
    ['would-revoke', undefined, EXIT.ok],
    ['already-gone', 'HTTP 401 Token not found', EXIT.ok],
    ['not-found', 'HTTP 404', EXIT.unknown],
    ['forbidden', 'HTTP 403', EXIT.unknown],
    ['malformed', undefined, EXIT.unknown],
    ['skipped-self', undefined, EXIT.unknown],
    ['left', 'not sent: budget', EXIT.rerun],
    ['failed', 'HTTP 503 Service Unavailable', EXIT.rerun],
    ['failed', 'ECONNRESET', EXIT.rerun],
    ['failed', 'HTTP 429 Too Many Requests', EXIT.rerun],
    ['failed', 'HTTP 401 Unauthorized', EXIT.rerun],
    ['failed', 'HTTP 403 Forbidden', EXIT.unknown],
    ['failed', 'HTTP 400 Bad Request', EXIT.unknown],
    ['some-new-outcome', undefined, EXIT.rerun]
  ] as const)('outcome %s (%s) asks for %i', (outcome, reason, code) => {
    expect(exitCodeForOutcome({ outcome, ...(reason === undefined ? {} : { reason }) })).toBe(code)
  })

  it('--help lists every code with its name', async () => {
    let stdout = ''
    const code = await runCli(['--help'], {
      env: {},
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true }
    })
    expect(code).toBe(0)
    for (const [name, value] of Object.entries(EXIT)) {
      expect(stdout).toMatch(new RegExp(`^  ${value}  ${name === 'internal' ? 'internal' : name}\\b`, 'm'))
    }
  })

  it('docs/cli.md has the same table: every code with its name, and no other code', () => {
    const page = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8')
    const rows = [...page.matchAll(/^\| (\d) \| (\w+) \|/gm)].map(m => [Number(m[1]), m[2]])
    expect(rows).toEqual(Object.entries(EXIT).map(([name, value]) => [value, name]))
  })
})
