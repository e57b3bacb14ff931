import { describe, it, expect } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatFileCommand } from '../../src/action/file-commands.js'
import { createProcessRunner } from '../../src/action/runner.js'
import { escapeCommandData, formatCommand } from '../../src/action/workflow-commands.js'

function files() {
  const dir = mkdtempSync(join(tmpdir(), 'runner-test-'))
  const env: Record<string, string | undefined> = {}
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_STEP_SUMMARY']) {
    env[name] = join(dir, name)
    writeFileSync(env[name]!, '')
  }
  return env
}

describe('workflow commands', () => {
  it('escapes %, CR and LF in data so a message cannot start a second command', () => {
    expect(escapeCommandData('50%\r\n::error::x')).toBe('50%25%0D%0A::error::x')
    expect(formatCommand('warning', 'a\nb', { title: 'x:y,z' })).toBe('::warning title=x%3Ay%2Cz::a%0Ab')
    expect(formatCommand('endgroup', '')).toBe('::endgroup::')
  })

  it('writes name<<delimiter blocks with a delimiter absent from the value', () => {
    const block = formatFileCommand('token-id', 'abc\ndef')
    const [head, ...rest] = block.trimEnd().split('\n')
    const delimiter = head!.split('<<')[1]!
    expect(head).toMatch(/^token-id<<ghadelimiter_[0-9a-f-]{36}$/)
    expect(rest).toEqual(['abc', 'def', delimiter])
    expect(() => formatFileCommand('x', 'has D inside', 'D')).toThrow('delimiter')
  })
})

describe('createProcessRunner', () => {
  it('reads INPUT_ variables the way the runner names them (hyphens kept, blanks to _)', () => {
    const runner = createProcessRunner({
      env: { 'INPUT_API-TOKEN': '  t  ', INPUT_SOME_NAME: 'x' },
      write: () => {}
    })
    expect(runner.getInput('api-token')).toBe('t')
    expect(runner.getInput('some name')).toBe('x')
    expect(runner.getInput('missing')).toBe('')
  })

  it('sends masks, outputs, state, env and summary to their channels', () => {
    const env = files()
    const lines: string[] = []
    let exitCode = 0
    const runner = createProcessRunner({ env, write: l => lines.push(l), setExitCode: c => (exitCode = c) })
    runner.setSecret('s3cr3t')
    runner.setOutput('token-id', 'id1')
    runner.saveState('token', 's3cr3t')
    runner.exportVariable('FASTLY_API_TOKEN', 's3cr3t')
    runner.appendSummary('hello')
    runner.setFailed('boom')
    expect(lines).toEqual(['::add-mask::s3cr3t', '::error::boom'])
    expect(exitCode).toBe(1)
    expect(readFileSync(env.GITHUB_OUTPUT!, 'utf8')).toMatch(/^token-id<<(\S+)\nid1\n\1\n$/)
    expect(readFileSync(env.GITHUB_STATE!, 'utf8')).toMatch(/^token<<(\S+)\ns3cr3t\n\1\n$/)
    expect(readFileSync(env.GITHUB_ENV!, 'utf8')).toMatch(/^FASTLY_API_TOKEN<<(\S+)\ns3cr3t\n\1\n$/)
    expect(env.FASTLY_API_TOKEN).toBe('s3cr3t')
    expect(readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8')).toBe('hello\n')
  })

  it('refuses to write an output without GITHUB_OUTPUT rather than print it', () => {
    const lines: string[] = []
    const runner = createProcessRunner({ env: {}, write: l => lines.push(l) })
    expect(() => runner.setOutput('token', 'x')).toThrow('GITHUB_OUTPUT is not set')
    expect(lines).toEqual([])
  })

  it('reads state from STATE_ variables and debug mode from RUNNER_DEBUG', () => {
    const runner = createProcessRunner({
      env: { 'STATE_token-id': 'abc', RUNNER_DEBUG: '1' },
      write: () => {}
    })
    expect(runner.getState('token-id')).toBe('abc')
    expect(runner.getState('nothing')).toBe('')
    expect(runner.isDebug()).toBe(true)
  })
})
