/**
 * The demo's account of a step that did not exit 0 (issue: `(empty)` was the whole story when
 * the bundle crashed). Real child processes through the demo's own step runner, against small
 * dists that crash in the ways a bundle can (a module that does not load, an exception after a
 * mask, a signal) or fail the way the action reports a failure; then the demo itself, copied
 * next to a crashing dist, end to end.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { runStep } from '../../scripts/run-action.js'
import { stepTrouble } from '../../scripts/step-trouble.js'

const ROOT = resolve(import.meta.dirname, '../..')
const SECRET = 'pw-Zq81xLrT0s'

/** Each dist's main step, as the source of its index.js. */
const STEPS: Record<string, string> = {
  'missing-module': "import 'no-such-package-for-the-demo'\n",
  'throws-after-mask': `console.log('::add-mask::${SECRET}')\nthrow new Error('cannot use ${SECRET} here')\n`,
  'exits-quietly': 'process.exit(3)\n',
  killed: "process.kill(process.pid, 'SIGKILL')\n",
  // A bundle's crash quotes its whole (minified, one-line) source line before the error itself.
  'crashes-in-a-long-line': `const padding = '${'x'.repeat(500_000)}'; padding.no.such.property\n`,
  'reports-failure': `console.log('::error::input "expires-in": "90" has no unit')\nprocess.exit(1)\n`,
  succeeds: "console.log('all good')\n"
}

let dir: string
const dist = (name: string) => join(dir, name)

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'step-trouble-'))
  for (const [name, source] of Object.entries(STEPS)) {
    mkdirSync(join(dir, name, 'main'), { recursive: true })
    writeFileSync(join(dir, name, 'main', 'index.js'), source)
  }
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const run = (name: string) => runStep({ step: 'main', dist: dist(name) })

describe('stepTrouble', () => {
  it('says nothing about a step that exited 0', async () => {
    const result = await run('succeeds')
    expect(result.exitCode).toBe(0)
    expect(stepTrouble(result)).toBeUndefined()
  })

  it.each([
    ['missing-module', 'exited 1', /no-such-package-for-the-demo/],
    ['throws-after-mask', 'exited 1', /Error: cannot use \*\*\* here/],
    ['exits-quietly', 'exited 3', /stderr was empty too/],
    ['killed', 'was killed by SIGKILL', /stderr was empty too/],
    [
      'crashes-in-a-long-line',
      'exited 1',
      /TypeError: Cannot read properties of undefined \(reading 'such'\)/
    ]
  ])('%s: a crash, with its stderr (masked) and what to do', async (name, how, stderr) => {
    const result = await run(name)
    expect(result.exitCode).not.toBe(0)
    const trouble = stepTrouble(result, { node: 'v24.1.0' })
    expect(trouble?.kind).toBe('crashed')
    const text = trouble!.lines.join('\n')
    expect(text).toContain(`main step crashed: it ${how} without reporting a failure of its own.`)
    expect(text).toMatch(stderr)
    expect(text).toContain('What to do:')
    expect(text).toContain('npm run bundle')
    expect(text).not.toContain(SECRET)
  })

  it('a crash on a node older than 24 says how to get the Node 24 of node_modules/.bin', async () => {
    const trouble = stepTrouble(await run('missing-module'), { node: 'v20.20.2' })
    const text = trouble!.lines.join('\n')
    expect(text).toContain('The step ran on node v20.20.2')
    expect(text).toContain('npm start')
    expect(text).toContain('without --ignore-scripts')
  })

  it('a failure the step reported itself is not called a crash', async () => {
    const result = await run('reports-failure')
    expect(result.exitCode).toBe(1)
    const trouble = stepTrouble(result)
    expect(trouble?.kind).toBe('failed')
    expect(trouble!.lines.join('\n')).not.toContain('crashed')
  })
})

describe('npm start with a crashing bundle', () => {
  it('prints the crash, its stderr and what to do, and exits non-zero', async () => {
    // The demo and its runner, copied next to a dist whose main cannot load a module, and a
    // stand-in simulator (the step dies before any request).
    const root = join(dir, 'demo-root')
    mkdirSync(join(root, 'scripts'), { recursive: true })
    for (const file of ['demo.js', 'run-action.js', 'step-trouble.js'])
      copyFileSync(join(ROOT, 'scripts', file), join(root, 'scripts', file))
    copyFileSync(join(ROOT, 'action.yml'), join(root, 'action.yml'))
    writeFileSync(join(root, 'package.json'), '{"type":"module"}\n')
    for (const step of ['main', 'post']) {
      mkdirSync(join(root, 'dist', step), { recursive: true })
      writeFileSync(join(root, 'dist', step, 'index.js'), STEPS['missing-module']!)
    }
    mkdirSync(join(root, 'lib', 'simulator'), { recursive: true })
    writeFileSync(
      join(root, 'lib', 'simulator', 'index.js'),
      "export const startSimulator = async () => ({ url: 'http://127.0.0.1:9', state: { findByAccessToken() {} }, close: async () => {} })\n"
    )
    const outcome = await promisify(execFile)(process.execPath, [join(root, 'scripts', 'demo.js')], {
      cwd: root
    }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout })
    )
    expect(outcome.code).toBe(1)
    expect(outcome.stdout).toContain('main step crashed: it exited 1 without reporting a failure of its own.')
    expect(outcome.stdout).toContain("Cannot find package 'no-such-package-for-the-demo'")
    expect(outcome.stdout).toContain('What to do:')
  })
})
