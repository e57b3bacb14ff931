/**
 * What `npm pack` puts in the package, checked the way a publish builds it (`npm pack --dry-run
 * --json` runs `prepare`, which rebuilds lib/). A consumer gets the module (lib/: JavaScript and
 * its .d.ts, one pair per source file), the bins, README, LICENSE and CHANGELOG, and nothing else:
 * no tests, no sources or source maps (maps would point at src/, which is not shipped), no dist/
 * (the action's bundles are for the runner, which checks out the repository), no scripts, docs
 * pages or workflows (they live with the repository, where their links resolve).
 */
import { describe, it, expect, beforeAll } from '@jest/globals'
import { execFile } from 'node:child_process'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { promisify } from 'node:util'

const ROOT = resolve(import.meta.dirname, '../..')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string
  license: string
  main: string
  types: string
  bin: Record<string, string>
  exports: Record<string, string | Record<string, string>>
}
const ALWAYS = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']

/** The npm that runs this suite (npm test), else the one on PATH. */
function npm(): [string, string[]] {
  const cli = process.env.npm_execpath
  return cli && /npm-cli\.[cm]?js$/.test(cli) ? [process.execPath, [cli]] : ['npm', []]
}

/** src/ files that tsconfig.build.json compiles into lib/, as lib paths without extension. */
function builtSources(): string[] {
  const out: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry)
      const rel = relative(join(ROOT, 'src'), path)
      if (statSync(path).isDirectory()) {
        if (rel !== 'action') walk(path)
      } else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts') && !['main.ts', 'post.ts'].includes(rel)) {
        out.push(`lib/${rel.replace(/\.ts$/, '')}`)
      }
    }
  }
  walk(join(ROOT, 'src'))
  return out.sort()
}

let files: string[]

beforeAll(async () => {
  const [command, prefix] = npm()
  const { stdout } = await promisify(execFile)(command, [...prefix, 'pack', '--dry-run', '--json'], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024
  })
  const [report] = JSON.parse(stdout) as Array<{ name: string; files: Array<{ path: string }> }>
  expect(report!.name).toBe(pkg.name)
  files = report!.files.map(f => f.path).sort()
}, 180_000)

describe('npm pack', () => {
  it('holds README, LICENSE, CHANGELOG and package.json', () => {
    expect(files).toEqual(expect.arrayContaining(ALWAYS))
  })

  it('holds every entry point package.json names: main, types, each export and each bin', () => {
    const targets = [
      pkg.main,
      pkg.types,
      ...Object.values(pkg.exports).flatMap(t => (typeof t === 'string' ? [t] : Object.values(t))),
      ...Object.values(pkg.bin)
    ].map(t => t.replace(/^\.\//, ''))
    expect(targets.length).toBeGreaterThanOrEqual(8)
    expect({ missing: targets.filter(t => !files.includes(t)) }).toEqual({ missing: [] })
  })

  it('ships each bin as an executable script', () => {
    expect(Object.keys(pkg.bin)).toEqual(expect.arrayContaining(['fastly-tokens', 'fastly-token-simulator']))
    for (const bin of Object.values(pkg.bin))
      expect({ bin, shebang: readFileSync(join(ROOT, bin), 'utf8').split('\n')[0] }).toEqual({
        bin,
        shebang: '#!/usr/bin/env node'
      })
  })

  it('holds lib/ as exactly the built sources: a .js and a .d.ts for each, no map, nothing stale', () => {
    const lib = files.filter(f => f.startsWith('lib/'))
    const expected = builtSources().flatMap(base => [`${base}.d.ts`, `${base}.js`])
    expect(expected.length).toBeGreaterThan(100)
    expect(lib).toEqual(expected.sort())
  })

  it('holds nothing else: no tests, sources, maps, dist, scripts, docs or workflows', () => {
    const other = files.filter(f => !f.startsWith('lib/') && !ALWAYS.includes(f))
    expect(other).toEqual([])
    for (const unwanted of [
      /^__tests__\//,
      /^src\//,
      /\.map$/,
      /^dist\//,
      /^scripts\//,
      /^docs\//,
      /^\.github\//
    ])
      expect({ unwanted: String(unwanted), found: files.filter(f => unwanted.test(f)) }).toEqual({
        unwanted: String(unwanted),
        found: []
      })
  })
})

describe('LICENSE', () => {
  it('is the license package.json names, for the project authors', () => {
    expect(pkg.license).toBe('MIT')
    const text = readFileSync(join(ROOT, 'LICENSE'), 'utf8')
    expect(text.split('\n')[0]).toBe('MIT License')
    expect(text).toMatch(/^Copyright \(c\) \d{4} the fastly-token-action authors$/m)
  })
})
