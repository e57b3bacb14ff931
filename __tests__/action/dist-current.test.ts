/**
 * dist/ must be what src/ builds to: the runner runs dist/, not src/. ncc's output is
 * deterministic for the same sources and lockfile, so a fresh build into a temporary directory
 * must match the committed files byte for byte.
 */
import { describe, it, expect } from '@jest/globals'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SIZE_BUDGET_BYTES, bundle } from '../../scripts/bundle.js'

describe('dist/', () => {
  it('matches a fresh build of src/ and stays under the size budget', () => {
    const out = mkdtempSync(join(tmpdir(), 'dist-check-'))
    try {
      const sizes = bundle(out, { quiet: true })
      for (const entry of ['main', 'post']) {
        const committed = readdirSync(join('dist', entry)).sort()
        expect(readdirSync(join(out, entry)).sort()).toEqual(committed)
        for (const file of committed) {
          const fresh = readFileSync(join(out, entry, file))
          const same = fresh.equals(readFileSync(join('dist', entry, file)))
          if (!same)
            throw new Error(`dist/${entry}/${file} is stale: run \`npm run bundle\` and commit dist/`)
        }
        expect(sizes[entry]).toBeLessThan(SIZE_BUDGET_BYTES)
      }
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  }, 180_000)
})
