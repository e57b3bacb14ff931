/**
 * Builds the action's two entry points with ncc: src/main.ts -> <out>/main, src/post.ts -> <out>/post,
 * minified, with the third-party licences beside each bundle and no source maps (they would weigh
 * several times the bundle and the steps report failures as messages, not stack traces).
 * ncc type-checks what src/tsconfig.json includes (the shipped sources only, not tests), so a type
 * error in a test never blocks a bundle while one in the action does.
 * `node scripts/bundle.js [--out DIR]` (default dist); prints each index.js size.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, rmSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const ENTRIES = { main: 'src/main.ts', post: 'src/post.ts' }
/** Each bundle must stay under this (create-github-app-token ships about 940 KB per entry). */
export const SIZE_BUDGET_BYTES = 1024 * 1024

export function bundle(outDir = join(ROOT, 'dist'), { quiet = false } = {}) {
  const ncc = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
  const sizes = {}
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const out = join(outDir, name)
    rmSync(out, { recursive: true, force: true })
    const result = spawnSync(
      process.execPath,
      [
        ncc,
        'build',
        join(ROOT, entry),
        '-o',
        out,
        '-m',
        '--license',
        'licenses.txt',
        '-q',
        '--target',
        'es2023'
      ],
      { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] }
    )
    if (result.status !== 0) throw new Error(`ncc failed for ${entry} (exit ${result.status})`)
    const file = join(out, 'index.js')
    if (!existsSync(file)) throw new Error(`ncc wrote no ${file}`)
    sizes[name] = statSync(file).size
    if (!quiet) console.log(`${name}: ${file.slice(ROOT.length + 1)} ${(sizes[name] / 1024).toFixed(1)} KiB`)
  }
  return sizes
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } })
  const sizes = bundle(values.out ? resolve(values.out) : undefined)
  const over = Object.entries(sizes).filter(([, size]) => size >= SIZE_BUDGET_BYTES)
  if (over.length > 0) {
    console.error(`over the 1 MiB budget: ${over.map(([name, size]) => `${name} ${size} bytes`).join(', ')}`)
    process.exitCode = 1
  }
}
