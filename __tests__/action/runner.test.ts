import { describe, it, expect, jest, afterEach } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createActionsRunner } from '../../src/action/runner.js'
import { findForgedCommands } from '../hardening/support/command-scan.js'

const RUNNER_FILES = ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_STEP_SUMMARY'] as const
const saved = Object.fromEntries(RUNNER_FILES.map(name => [name, process.env[name]]))

afterEach(() => {
  for (const name of RUNNER_FILES) {
    if (saved[name] === undefined) delete process.env[name]
    else process.env[name] = saved[name]
  }
  jest.restoreAllMocks()
})

function captureStdout(): string[] {
  const lines: string[] = []
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    lines.push(String(chunk))
    return true
  })
  return lines
}

describe('createActionsRunner (@actions/core)', () => {
  it('refuses to print an output or state to stdout when the runner gave no file for it', () => {
    for (const name of RUNNER_FILES) delete process.env[name]
    const stdout = captureStdout()
    const runner = createActionsRunner()
    expect(() => runner.setOutput('token', 'value-that-must-not-print')).toThrow('GITHUB_OUTPUT is not set')
    expect(() => runner.saveState('token', 'value-that-must-not-print')).toThrow('GITHUB_STATE is not set')
    expect(() => runner.exportVariable('FASTLY_API_TOKEN', 'value-that-must-not-print')).toThrow(
      'GITHUB_ENV is not set'
    )
    expect(stdout.join('')).not.toContain('value-that-must-not-print')
  })

  it('writes outputs, state and the summary to the runner files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-test-'))
    for (const name of RUNNER_FILES) {
      process.env[name] = join(dir, name)
      writeFileSync(process.env[name]!, '')
    }
    captureStdout()
    const runner = createActionsRunner()
    runner.setOutput('token-id', 'abc')
    runner.saveState('expires-at', '2026-01-01T00:00:00Z')
    await runner.appendSummary('**line**')
    expect(readFileSync(join(dir, 'GITHUB_OUTPUT'), 'utf8')).toMatch(/^token-id<<ghadelimiter_.+\nabc\n/)
    expect(readFileSync(join(dir, 'GITHUB_STATE'), 'utf8')).toContain('2026-01-01T00:00:00Z')
    expect(readFileSync(join(dir, 'GITHUB_STEP_SUMMARY'), 'utf8')).toBe('**line**\n')
  })
})

describe('the last guard at the runner boundary', () => {
  it('breaks a command in any text bound for the log, even one a call site forgot to escape', () => {
    const stdout = captureStdout()
    const runner = createActionsRunner()
    const forged = 'ok\n::stop-commands::FORGED\r\n  ::error title=FORGED::x ##[warning]FORGED \u001b[2J'
    runner.info(forged)
    runner.debug(forged)
    runner.warning(forged, { title: 't\n::error title=x::y ##[group]z' })
    runner.error(forged)
    runner.startGroup(forged)
    runner.endGroup()
    runner.setFailed(forged)
    process.exitCode = undefined
    expect(findForgedCommands(stdout.join(''))).toEqual([])
    // Our own line breaks stay: the first line is still its own line.
    expect(stdout.join('')).toContain('ok\n\\::stop-commands::FORGED\n')
  })
})
