/**
 * scripts/check-node.cjs, run first by npm start/test/bundle/bench: silent on a node the project
 * supports, one message and exit 1 on an older one. The script runs as a child process; the old
 * node is the test's own with `process.version` changed by a preload, since no older node can be
 * counted on where the suite runs.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')
const { nodeProblem } = createRequire(import.meta.url)('../../scripts/check-node.cjs') as {
  nodeProblem(version: string, engines: string | undefined, hasLocalNode: boolean): string | undefined
}

function run(script: string, preload?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = [...(preload ? ['--require', preload] : []), script]
  return new Promise(done =>
    execFile(process.execPath, args, (error, stdout, stderr) =>
      done({ code: error ? (error.code as number) : 0, stdout, stderr })
    )
  )
}

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'check-node-'))
  writeFileSync(join(dir, 'node20.cjs'), "Object.defineProperty(process, 'version', { value: 'v20.20.2' })\n")
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('nodeProblem', () => {
  it.each([
    ['v24.0.0', '>=24'],
    ['v24.21.0', '>=24'],
    ['v25.1.0', '>=24'],
    ['v22.19.0', '>=22.19'],
    ['v10.0.0', undefined]
  ])('%s with engines %s is fine', (version, engines) => {
    expect(nodeProblem(version, engines, true)).toBeUndefined()
  })

  it.each([
    ['v20.20.2', '>=24', true],
    ['v20.20.2', '>=24', false],
    ['v23.11.1', '>=24', false],
    ['v8.17.0', '^24.0.0', true]
  ])('%s with engines %s (local node: %s) is refused, saying what to do', (version, engines, local) => {
    const problem = nodeProblem(version, engines, local)
    expect(problem).toContain('This project needs Node 24 or newer')
    expect(problem).toContain(`the npm scripts run on node ${version}`)
    expect(problem).toContain(local ? 'run them through npm' : 'without --ignore-scripts')
  })
})

describe('check-node.cjs as the scripts run it', () => {
  it('is silent and exits 0 on the node running this suite', async () => {
    expect(await run(join(ROOT, 'scripts/check-node.cjs'))).toEqual({ code: 0, stdout: '', stderr: '' })
  })

  it('exits 1 with the message on an older node', async () => {
    const result = await run(join(ROOT, 'scripts/check-node.cjs'), join(dir, 'node20.cjs'))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('but the npm scripts run on node v20.20.2.')
  })

  it('without node_modules/.bin/node (npm ci --ignore-scripts) says to reinstall with scripts', async () => {
    const root = join(dir, 'fresh')
    mkdirSync(join(root, 'scripts'), { recursive: true })
    copyFileSync(join(ROOT, 'scripts/check-node.cjs'), join(root, 'scripts/check-node.cjs'))
    copyFileSync(join(ROOT, 'package.json'), join(root, 'package.json'))
    const result = await run(join(root, 'scripts/check-node.cjs'), join(dir, 'node20.cjs'))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('run `npm ci` again without --ignore-scripts')
  })
})
