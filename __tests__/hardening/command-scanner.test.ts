/**
 * The "no forged command" scanner can fail: planted lines of every kind are found, and what the
 * steps emit themselves through @actions/core passes.
 */
import { describe, expect, it } from '@jest/globals'
import { findForgedCommands, findForgedLines } from './support/command-scan.js'
import { assertNoForgedCommand, ForgedCommandError } from './support/scanned-run.js'

const OURS = [
  '::add-mask::s3cr3t::with::colons',
  '::debug::masked 2 secret input value(s)',
  '::warning title=Malformed token ids::2 malformed token id(s), never sent: x\\n::error title=FORGED::y',
  '::error::Revoking the matches failed: HTTP 503',
  '::notice::done',
  '::group::Revoking 3 token id(s)',
  '::endgroup::',
  'Minted token 2Ab3Cd4Ef5Gh6Ij7Kl8Mn (expires 2030-01-15T12:30:05Z)',
  '  \\::stop-commands::FORGED',
  'name ##\\[warning]FORGED'
]

describe('findForgedCommands', () => {
  it('passes what the steps emit themselves', () => {
    expect(findForgedCommands(OURS.join('\n'))).toEqual([])
  })

  it.each([
    ['a plain line that is a command', 'x\n::error title=FORGED::forged'],
    ['a command after blanks', '   ::warning title=FORGED::x'],
    ['stop-commands', '::stop-commands::FORGED'],
    ['a command the steps never emit', '::set-output name=x::y'],
    ['a legacy command anywhere', 'Token deploy ##[warning]FORGED'],
    ['a line ended by a lone CR', 'ok\r::error title=FORGED::x'],
    ['a command behind an invisible character', '\u200b::error title=FORGED::x'],
    ['a forged line inside a warning', '::warning::ok%0A##[error]FORGED'],
    ['a forged line inside a debug line', '::debug::ok%0D::error title=FORGED::x'],
    ['a forged line inside a title', '::error title=ok%0A##[group]FORGED::x'],
    ['a terminal escape', 'red \u001b[31m text'],
    ['a C1 escape', 'csi \u009b31m']
  ])('finds %s', (_, stdout) => {
    const findings = findForgedCommands([...OURS, stdout].join('\n'))
    expect(findings).toHaveLength(1)
  })

  it('fails a step through the harness check', () => {
    expect(() => assertNoForgedCommand({ step: 'main', stdout: '::stop-commands::FORGED\n' })).toThrow(
      ForgedCommandError
    )
    expect(() => assertNoForgedCommand({ step: 'post', stdout: OURS.join('\n') })).not.toThrow()
  })
})

describe('findForgedLines (the CLI)', () => {
  it('allows no command at all in plain output', () => {
    expect(findForgedLines('ID  NAME\nabc  \\::error::x\n')).toEqual([])
    expect(findForgedLines('::add-mask::x')).toHaveLength(1)
    expect(findForgedLines('{\n  "name": "##[error]x"\n}')).toHaveLength(1)
  })
})
