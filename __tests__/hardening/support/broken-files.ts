/**
 * Runner files that cannot be written, for the hand-over dimension of the fault matrix: the
 * variable unset, a directory, a file that refuses writes, and a "full disk" (/dev/full, which
 * opens and then fails every write with ENOSPC, the way a full file system does). Under root,
 * permission bits do not stop a write, so the unwritable file is also made immutable; the helper
 * proves the file refuses an append before it is used, so a scenario can never pass by accident.
 */
import { spawnSync } from 'node:child_process'
import { appendFileSync, chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type BrokenKind = 'unset' | 'directory' | 'unwritable' | 'full'
export const BROKEN_KINDS: readonly BrokenKind[] = ['unset', 'directory', 'unwritable', 'full']

export interface BrokenFile {
  /** The variable's value; undefined removes it from the step's environment. */
  value: string | undefined
  cleanup(): void
}

function refusesAppend(path: string): boolean {
  try {
    appendFileSync(path, '')
    appendFileSync(path, 'x')
    return false
  } catch {
    return true
  }
}

export function brokenRunnerFile(kind: BrokenKind): BrokenFile {
  const dir = mkdtempSync(join(tmpdir(), 'fta-broken-'))
  const remove = () => rmSync(dir, { recursive: true, force: true })
  switch (kind) {
    case 'unset':
      return { value: undefined, cleanup: remove }
    case 'directory':
      return { value: dir, cleanup: remove }
    case 'full':
      if (!existsSync('/dev/full')) throw new Error('this machine has no /dev/full to simulate a full disk')
      return { value: '/dev/full', cleanup: remove }
    case 'unwritable': {
      const file = join(dir, 'read-only')
      writeFileSync(file, '')
      chmodSync(file, 0o444)
      const root = process.getuid?.() === 0
      if (root) spawnSync('chattr', ['+i', file])
      if (!refusesAppend(file)) {
        if (root) spawnSync('chattr', ['-i', file])
        remove()
        throw new Error('could not make a file this process cannot write (root without chattr?)')
      }
      return {
        value: file,
        cleanup: () => {
          if (root) spawnSync('chattr', ['-i', file])
          remove()
        }
      }
    }
  }
}
