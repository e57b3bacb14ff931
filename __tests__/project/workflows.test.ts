/**
 * The habits of a released action, checked: every third-party action in the workflows, the
 * example workflows and the docs' YAML is pinned to a full commit SHA with its version in a
 * comment; Dependabot watches npm and the actions; the release workflow does the four things a
 * release needs, in order, with the permissions they need; the changelog section it publishes
 * is extracted (or refused) as it says.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')
const yamlFiles = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter(f => /\.ya?ml$/.test(f))
    .map(f => `${dir}/${f}`)

/** Every `uses:` line of the workflows, the examples and the workflow blocks of the docs. */
function usesLines(): Array<[string, string]> {
  const texts: Array<[string, string]> = [
    ...yamlFiles('.github/workflows'),
    ...yamlFiles('docs/examples')
  ].map(f => [f, read(f)])
  const pages = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter(f => f.endsWith('.md'))
      .map(f => `docs/${f}`)
  ]
  for (const page of pages)
    for (const [, block] of read(page).matchAll(/```ya?ml\n([\s\S]*?)```/g)) texts.push([page, block!])
  return texts.flatMap(([file, text]) =>
    [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(.+?)\s*$/gm)].map(m => [file, m[1]!] as [string, string])
  )
}

/** This action as the docs show it to users, and the workflows' own checkout of it. */
const OURS = /^(\.\/|your-org\/fastly-token-action@v1$)/
const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/

describe('third-party actions', () => {
  const uses = usesLines()

  it('are found in the workflows, the examples and the docs', () => {
    const files = new Set(uses.map(([file]) => file))
    expect([...files]).toEqual(
      expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/release.yml', 'README.md'])
    )
    expect(uses.filter(([, ref]) => !OURS.test(ref)).length).toBeGreaterThan(8)
  })

  it('are pinned to a full commit SHA, with the version in a comment', () => {
    const unpinned = uses.filter(([, ref]) => !OURS.test(ref) && !PINNED.test(ref))
    expect(unpinned).toEqual([])
  })

  it('use one SHA per action and version everywhere', () => {
    const shas = new Map<string, Set<string>>()
    for (const [, ref] of uses.filter(([, r]) => PINNED.test(r))) {
      const [, action, sha, version] = /^(.+)@([0-9a-f]{40}) # (.+)$/.exec(ref)!
      const key = `${action} ${version}`
      shas.set(key, (shas.get(key) ?? new Set()).add(sha!))
    }
    expect([...shas].filter(([, s]) => s.size > 1)).toEqual([])
  })

  it('the pin check refuses a tag, a short SHA and a SHA without its version', () => {
    for (const ref of [
      'actions/checkout@v5',
      'actions/checkout@08c6903 # v5.0.0',
      'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8',
      'actions/checkout@main # v5.0.0'
    ])
      expect({ ref, pinned: PINNED.test(ref) }).toEqual({ ref, pinned: false })
  })
})

describe('.github/dependabot.yml', () => {
  it('updates npm and github-actions', () => {
    const config = read('.github/dependabot.yml')
    expect(config).toMatch(/^version: 2$/m)
    const ecosystems = [...config.matchAll(/package-ecosystem:\s*(\S+)/g)].map(m => m[1])
    expect(ecosystems.sort()).toEqual(['github-actions', 'npm'])
  })
})

describe('.github/workflows/release.yml', () => {
  const workflow = read('.github/workflows/release.yml')
  const jobs = workflow.slice(workflow.indexOf('\njobs:'))
  const release = jobs.slice(jobs.indexOf('\n  release:'))

  it('runs on a version tag, with read-only defaults', () => {
    expect(workflow).toMatch(/^on:\n {2}push:\n {4}tags: \['v\[0-9\]\+\.\[0-9\]\+\.\[0-9\]\+'\]$/m)
    expect(workflow).toMatch(/^permissions:\n {2}contents: read$/m)
  })

  it('checks the version, the changelog, the tests and dist/ before anything is released', () => {
    const verify = jobs.slice(0, jobs.indexOf('\n  release:'))
    expect(verify).toContain('require("./package.json").version')
    expect(verify).toContain('scripts/changelog-section.sh')
    expect(verify).toContain('- run: npm test')
    expect(verify).toMatch(/npm run bundle\n\s+if ! git diff --quiet -- dist\/; then/)
    expect(release).toContain('needs: verify')
  })

  it('creates the release with the changelog section, moves the major tag, publishes with provenance', () => {
    expect(release).toMatch(/ {6}contents: write/)
    expect(release).toMatch(/ {6}id-token: write/)
    const steps = [
      'scripts/changelog-section.sh "${TAG#v}" > "$RUNNER_TEMP/notes.md"',
      'gh release create "$TAG" --verify-tag',
      'major="${TAG%%.*}"',
      'git push --force origin "refs/tags/$major"',
      'npm publish --provenance --access public'
    ]
    const at = steps.map(step => release.indexOf(step))
    expect(at.every(i => i >= 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
  })
})

describe('scripts/changelog-section.sh', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'changelog-'))
    writeFileSync(
      join(dir, 'CHANGELOG.md'),
      [
        '# Changelog',
        '',
        '## [Unreleased]',
        '',
        '## [1.2.10] - 2027-02-01',
        '',
        '### Fixed',
        '- ten',
        '',
        '## [1.2.1] - 2027-01-01',
        '',
        '### Added',
        '- one',
        ''
      ].join('\n')
    )
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const section = (version: string, file = join(dir, 'CHANGELOG.md')) =>
    new Promise<{ code: number; stdout: string; stderr: string }>(done =>
      execFile('bash', [join(ROOT, 'scripts/changelog-section.sh'), version, file], (error, stdout, stderr) =>
        done({ code: error ? (error.code as number) : 0, stdout, stderr })
      )
    )

  it("prints a version's section without its heading, and not its neighbour's", async () => {
    expect(await section('1.2.1')).toEqual({ code: 0, stdout: '### Added\n- one\n', stderr: '' })
    expect((await section('1.2.10')).stdout).toBe('### Fixed\n- ten\n')
  })

  it('refuses a version without a section, or with an empty one', async () => {
    for (const version of ['1.2.2', 'Unreleased']) {
      const result = await section(version)
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(`no section '## [${version}]'`)
    }
  })

  it('finds the Unreleased section of the real changelog, in Keep a Changelog form', async () => {
    const changelog = read('CHANGELOG.md')
    expect(changelog).toContain('[Keep a Changelog](https://keepachangelog.com/en/1.1.0/)')
    const result = await section('Unreleased', join(ROOT, 'CHANGELOG.md'))
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^### Added$/m)
    for (const issue of ['#9', '#10', '#11', '#12']) expect(result.stdout).toContain(issue)
  })
})
