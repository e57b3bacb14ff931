/** The leak check must be able to fail: each way a secret can escape, fed to it on purpose. */
import { describe, it, expect } from '@jest/globals'
import { TOKEN_HOMES, assertNoLeak, type StepResult } from './harness.js'

const SECRET = 'tok_en-Secret0000000000000000000'

type Parts = Omit<Partial<StepResult>, 'raw'> & { raw?: Partial<StepResult['raw']> }

function result(parts: Parts): StepResult {
  const stdout = parts.stdout ?? ''
  return {
    step: 'main',
    exitCode: 0,
    signal: null,
    durationMs: 0,
    stdout,
    stderr: parts.stderr ?? '',
    raw: { output: '', state: '', env: '', summary: '', ...parts.raw },
    outputs: {},
    state: {},
    env: {},
    summary: parts.summary ?? '',
    commands: [],
    log: ''
  }
}

function leaks(r: StepResult, allow = {}): boolean {
  try {
    assertNoLeak(r, { token: SECRET }, allow)
    return false
  } catch {
    return true
  }
}

describe('assertNoLeak', () => {
  it('accepts a secret that appears only in its add-mask line and its sanctioned homes', () => {
    const r = result({
      stdout: `::add-mask::${SECRET}\nMinted token abc\n`,
      raw: { output: `token<<EOF\n${SECRET}\nEOF\n`, env: `FASTLY_API_TOKEN<<D\n${SECRET}\nD\n` }
    })
    expect(leaks(r, { token: TOKEN_HOMES })).toBe(false)
  })

  it.each<[string, Parts]>([
    ['a plain log line', { stdout: `::add-mask::${SECRET}\nthe token is ${SECRET}\n` }],
    ['a line before the mask', { stdout: `${SECRET}\n::add-mask::${SECRET}\n` }],
    ['a warning, command-escaped', { stdout: `::add-mask::${SECRET}\n::warning::x%0A${SECRET}\n` }],
    [
      'a URL-encoded form body in a debug line',
      { stdout: `::debug::password=${encodeURIComponent('p@ss ' + SECRET)}\n` }
    ],
    ['stderr', { stderr: `Error: ${SECRET}` }],
    ['the summary', { summary: `| ${SECRET} |` }],
    [
      'an output it has no business in',
      { stdout: `::add-mask::${SECRET}\n`, raw: { output: `token-id<<E\n${SECRET}\nE\n` } }
    ],
    [
      'an overwritten state block',
      { stdout: `::add-mask::${SECRET}\n`, raw: { state: `name<<E\nx${SECRET}\nE\nname<<E\nclean\nE\n` } }
    ],
    ['a sanctioned home without a mask', { raw: { output: `token<<E\n${SECRET}\nE\n` } }]
  ])('catches the secret in %s', (_label, parts) => {
    expect(leaks(result(parts), { token: TOKEN_HOMES })).toBe(true)
  })
})
