/**
 * Scenario 3, action overhead: the wall time of dist/main/index.js (a full mint) and of
 * dist/post/index.js (self-revocation), each run as the runner runs it (scripts/run-action.js:
 * a child process, INPUT_* variables, the runner's files), against the simulator with no latency.
 *
 * Two references measured in the same run: `node -e 0` (a bare process) and the design's own
 * floor, an ncc-minified bundle of nothing but @actions/core and one undici request (every step
 * needs both), built here at bench time and run through the same runner emulation. The package's
 * npm override makes @actions/core's http-client use the project's undici 8, so that floor holds
 * one undici copy, not two: a lower floor than @actions/core brings on its own.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runStep } from '../run-action.js'
import { timeNode } from './processes.js'
import { ratio, summarize } from './stats.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** Ignored by git; inside the project so that ncc resolves @actions/core and undici from node_modules. */
const WORK_DIR = join(ROOT, '.bench')
const USER = 'demo@example.com'
const PASSWORD = 'demo-password'
const SIZE_BUDGET_BYTES = 1024 * 1024

/**
 * The floor step: read the inputs, one request (or `requests` of them), one output; what every
 * step of this kind must do. Main needs two requests (mint, then verify), and a second undici
 * response in a process is what makes V8 tier llhttp's parser up to TurboFan in the background,
 * a compile that the process then waits for at exit; hence the second reference with two.
 */
const FLOOR_ENTRY = `import * as core from '@actions/core'
import { request } from 'undici'

const url = core.getInput('api-url', { required: true })
const key = core.getInput('api-token', { required: true })
const requests = Number(core.getInput('requests') || '1')
let token
for (let i = 0; i < requests; i++) {
  const res = await request(url + '/tokens/self', { headers: { 'Fastly-Key': key, Accept: 'application/json' } })
  token = await res.body.json()
  if (res.statusCode !== 200) core.setFailed('GET /tokens/self answered ' + res.statusCode)
}
core.setOutput('token-id', token.id)
`

function packageVersion(name) {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version
}

/**
 * Builds the floor bundle with ncc (-m) into .bench/floor-<hash>/main/index.js. The hash covers the
 * entry and the versions of what goes in, so `reuse` (for --quick) may take an earlier build.
 */
function buildFloor({ reuse }) {
  const key = createHash('sha256')
    .update(FLOOR_ENTRY)
    .update(['@actions/core', 'undici', '@vercel/ncc'].map(n => `${n}@${packageVersion(n)}`).join())
    .digest('hex')
    .slice(0, 12)
  const dir = join(WORK_DIR, `floor-${key}`)
  const bundle = join(dir, 'main', 'index.js')
  if (reuse && existsSync(bundle)) return { dir, bundle, reused: true, buildMs: 0 }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'entry.js'), FLOOR_ENTRY)
  const ncc = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
  const started = performance.now()
  const built = spawnSync(
    process.execPath,
    [ncc, 'build', join(dir, 'entry.js'), '-o', join(dir, 'main'), '-m', '-q'],
    {
      cwd: ROOT,
      stdio: ['ignore', 2, 2]
    }
  )
  if (built.status !== 0 || !existsSync(bundle))
    throw new Error(`ncc could not build the floor bundle (exit ${built.status})`)
  return { dir, bundle, reused: false, buildMs: performance.now() - started }
}

/** Every .js file ncc wrote for an entry (index.js and any chunks), with sizes. */
function bundleFiles(dir) {
  const files = readdirSync(dir)
    .filter(name => name.endsWith('.js') || name.endsWith('.cjs') || name.endsWith('.mjs'))
    .map(name => ({ name, bytes: statSync(join(dir, name)).size }))
  const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0)
  return { files, totalBytes, underBudget: files.every(f => f.bytes < SIZE_BUDGET_BYTES) }
}

function expectExit(result, what) {
  if (result.exitCode !== 0) {
    const text = `${result.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ')
    throw new Error(`${what} exited ${result.exitCode}${text ? `: ${text}` : ''}`)
  }
}

export const jobs = {}

export async function run(ctx) {
  const reps = ctx.quick ? 5 : 15
  const distMain = join(ROOT, 'dist', 'main', 'index.js')
  const distPost = join(ROOT, 'dist', 'post', 'index.js')
  if (!existsSync(distMain) || !existsSync(distPost))
    throw new Error('dist/main and dist/post are missing: npm run bundle')
  ctx.progress('action: building the floor bundle with ncc')
  const floor = buildFloor({ reuse: ctx.quick })
  try {
    const { url } = await ctx.host.call('start', { options: { seed: 3 } })
    const reader = await ctx.host.call('addToken', { user: USER, name: 'floor', scope: 'global:read' })
    const floorStep = async requests => {
      const r = await runStep({
        step: 'main',
        dist: floor.dir,
        inputs: { 'api-url': url, 'api-token': reader.access_token, requests: String(requests) }
      })
      expectExit(r, 'the floor bundle')
      if (r.outputs['token-id'] !== reader.id) throw new Error('the floor bundle did not read the token')
      return r.durationMs
    }
    const steps = {
      bare: async () => {
        const r = await timeNode(['-e', '0'])
        expectExit(r, 'node -e 0')
        return r.durationMs
      },
      floor: () => floorStep(1),
      floor2: () => floorStep(2)
    }
    let minted
    steps.main = async () => {
      const r = await runStep({
        step: 'main',
        inputs: { username: USER, password: PASSWORD, 'api-url': url }
      })
      expectExit(r, 'dist/main')
      if (!r.outputs.token) throw new Error('dist/main minted no token')
      minted = r
      return r.durationMs
    }
    steps.post = async () => {
      const r = await runStep({ step: 'post', state: minted.state })
      expectExit(r, 'dist/post')
      if (await ctx.host.call('isLive', minted.outputs.token))
        throw new Error('dist/post left the token alive')
      return r.durationMs
    }

    // One untimed pass first: file cache, the simulator's first requests.
    for (const step of Object.values(steps)) await step()
    const samples = { bare: [], floor: [], floor2: [], main: [], post: [] }
    for (let i = 0; i < reps; i++) {
      ctx.progress(`action: round ${i + 1}/${reps}`)
      for (const [name, step] of Object.entries(steps)) samples[name].push(await step())
    }
    const wall = Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, summarize(s)]))
    const vs = (a, b) => ratio(wall[a].median, wall[b].median)
    return {
      setup: {
        reps,
        simulator: 'child process, no latency',
        floorBuild: floor.reused ? 'reused (--quick)' : 'built now'
      },
      wallMs: wall,
      ratios: {
        mainVsFloor: vs('main', 'floor'),
        mainVsTwoRequestFloor: vs('main', 'floor2'),
        twoRequestFloorVsFloor: vs('floor2', 'floor'),
        postVsFloor: vs('post', 'floor'),
        mainVsBare: vs('main', 'bare'),
        postVsBare: vs('post', 'bare'),
        floorVsBare: vs('floor', 'bare'),
        twoRequestFloorVsBare: vs('floor2', 'bare'),
        bareVsFloor: vs('bare', 'floor')
      },
      bundles: {
        main: bundleFiles(dirname(distMain)),
        post: bundleFiles(dirname(distPost)),
        floor: bundleFiles(dirname(floor.bundle))
      }
    }
  } finally {
    if (!ctx.quick) rmSync(floor.dir, { recursive: true, force: true })
  }
}
