/**
 * The docs stay true to the code: every input and output of action.yml has its row in
 * docs/action.md's tables (and no row names one that does not exist), every flag the two command
 * lines print in `--help` is documented on their pages, and every relative link of the Markdown
 * files at the root and under docs/ leads to a file that exists and, with a `#fragment`, to a
 * heading in it.
 */
import { describe, it, expect } from '@jest/globals'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { runCli, COMMANDS } from '../../src/cli/run.js'
import { runSimulatorCli } from '../../src/simulator/cli.js'

const ROOT = resolve(import.meta.dirname, '../..')
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')

/** The Markdown files at the root (README, CHANGELOG, ...) and under docs/, relative to the root. */
function pages(): string[] {
  const found = readdirSync(ROOT).filter(f => f.endsWith('.md'))
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir))) {
      const path = join(dir, entry)
      if (statSync(join(ROOT, path)).isDirectory()) walk(path)
      else if (entry.endsWith('.md')) found.push(path)
    }
  }
  walk('docs')
  return found
}

/** Markdown without fenced code blocks and inline code spans, where links are not links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/(`+)[^`\n]*?\1/g, '``')
}

/** GitHub's anchors for the headings of a page: lower case, punctuation dropped, blanks to `-`, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  const withoutCode = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
  for (const [, text] of withoutCode.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = text!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\p{Pc} -]/gu, '')
      .replace(/ /g, '-')
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    anchors.add(n === 0 ? base : `${base}-${n}`)
  }
  return anchors
}

/** Names in the first column (`name`) of the table whose header row starts with `| <first> |`. */
function tableNames(markdown: string, first: string): string[] {
  const lines = markdown.split('\n')
  const header = lines.findIndex(l => new RegExp(`^\\|\\s*${first}\\s*\\|`).test(l))
  expect({ table: first, found: header >= 0 }).toEqual({ table: first, found: true })
  const names: string[] = []
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break
    const cell = /^\|\s*`([^`]+)`/.exec(line)
    if (cell) names.push(cell[1]!)
  }
  return names
}

/** Top-level keys of a section of action.yml (`inputs:` or `outputs:`). */
function actionKeys(section: 'inputs' | 'outputs'): string[] {
  const body = read('action.yml')
    .split(/^(?=\S)/m)
    .find(block => block.startsWith(`${section}:`))
  return [...(body ?? '').matchAll(/^ {2}([A-Za-z0-9_-]+):/gm)].map(m => m[1]!)
}

/** Long flags (`--name`) in a help text. */
const flagsIn = (help: string) => [...new Set(help.match(/(?<![\w-])--[a-z][a-z0-9-]*/g) ?? [])]

/** Whether `flag` appears in `markdown` as itself, not as the start of a longer flag. */
const mentions = (markdown: string, flag: string) => new RegExp(`(?<![\\w-])${flag}(?![\\w-])`).test(markdown)

async function cliHelp(argv: string[]): Promise<string> {
  let out = ''
  const code = await runCli(argv, {
    env: {},
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: () => true }
  })
  expect({ argv, code }).toEqual({ argv, code: 0 })
  return out
}

describe('docs/action.md', () => {
  const page = read('docs/action.md')

  it.each(['inputs', 'outputs'] as const)('has one row for each of action.yml %s, and no other', section => {
    const declared = actionKeys(section)
    expect(declared.length).toBeGreaterThan(section === 'inputs' ? 20 : 5)
    const rows = tableNames(page, section === 'inputs' ? 'input' : 'output')
    expect({ missing: declared.filter(n => !rows.includes(n)) }).toEqual({ missing: [] })
    expect({ unknown: rows.filter(n => !declared.includes(n)) }).toEqual({ unknown: [] })
    expect({ repeated: rows.filter((n, i) => rows.indexOf(n) !== i) }).toEqual({ repeated: [] })
  })
})

describe('docs/cli.md', () => {
  const page = read('docs/cli.md')

  it('lists every command of fastly-tokens --help', async () => {
    const help = await cliHelp(['--help'])
    expect(COMMANDS.length).toBeGreaterThanOrEqual(4)
    for (const command of COMMANDS) {
      expect(help).toContain(`  ${command.name} `)
      expect({ command: command.name, documented: mentions(page, `fastly-tokens ${command.name}`) }).toEqual({
        command: command.name,
        documented: true
      })
    }
  })

  it('documents every flag of fastly-tokens --help and of each command', async () => {
    const helps = [await cliHelp(['--help'])]
    for (const command of COMMANDS) helps.push(await cliHelp([command.name, '--help']))
    const flags = [...new Set(helps.flatMap(flagsIn))]
    expect(flags).toEqual(expect.arrayContaining(['--json', '--api-url', '--ids-file', '--dry-run']))
    expect({ undocumented: flags.filter(f => !mentions(page, f)) }).toEqual({ undocumented: [] })
  })
})

describe('docs/simulator.md', () => {
  it('documents every flag of fastly-token-simulator --help', async () => {
    let help = ''
    const code = await runSimulatorCli(['--help'], {
      stdout: s => (help += s),
      stderr: () => {},
      stopSignal: new Promise(() => {})
    })
    expect(code).toBe(0)
    const flags = flagsIn(help)
    expect(flags).toEqual(expect.arrayContaining(['--port', '--bulk-policy', '--seed']))
    const page = read('docs/simulator.md')
    expect({ undocumented: flags.filter(f => !mentions(page, f)) }).toEqual({ undocumented: [] })
  })
})

describe('links', () => {
  const all = pages()
  const links = all.flatMap(page =>
    [...prose(read(page)).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
      .map(m => m[1]!)
      .filter(target => !/^[a-z][a-z0-9+.-]*:/i.test(target))
      .map(target => [page, target] as const)
  )

  it('finds the pages and their links', () => {
    expect(all).toEqual(
      expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'docs/action.md', 'docs/development.md'])
    )
    expect(links.length).toBeGreaterThan(20)
  })

  it.each(links)('%s -> %s resolves', (page, target) => {
    const [path, fragment] = target.split('#') as [string, string | undefined]
    const file = path === '' ? join(ROOT, page) : resolve(ROOT, dirname(page), decodeURI(path))
    expect({ target, inside: !relative(ROOT, file).startsWith('..') }).toEqual({ target, inside: true })
    expect({ target, exists: existsSync(file) }).toEqual({ target, exists: true })
    if (fragment !== undefined) {
      expect(file.endsWith('.md')).toBe(true)
      const anchors = headingAnchors(readFileSync(file, 'utf8'))
      expect({ target, anchor: anchors.has(fragment) }).toEqual({ target, anchor: true })
    }
  })

  it('anchors are computed as GitHub does', () => {
    const anchors = headingAnchors(
      '# The `fastly-tokens` CLI\n## Keyless: `broker-url`\n## 1. Incident revocation\n## Notes\n## Notes\n```\n# not a heading\n```\n'
    )
    expect([...anchors]).toEqual([
      'the-fastly-tokens-cli',
      'keyless-broker-url',
      '1-incident-revocation',
      'notes',
      'notes-1'
    ])
  })
})
