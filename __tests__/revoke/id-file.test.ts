/**
 * The id-file reader shared by `--ids-file` and `revoke-token-ids-file`: real files, a FIFO and a
 * device on this machine's file system; the forms of content as properties over generated lists.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import {
  IdDocumentError,
  IdFileError,
  MAX_ID_FILE_BYTES,
  entryExcerpt,
  parseIdDocument,
  readIdFileSync,
  readIdStream,
  summariseEntries
} from '../../src/revoke/index.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'id-file-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const ID = fc.stringMatching(/^[A-Za-z0-9]{22}$/)
const SECRET = 'Abcdefghijklmnopqrstuvwxyz012345'

describe('readIdFileSync', () => {
  it('reads a regular file, dropping a byte-order mark', async () => {
    const path = join(dir, 'ids.txt')
    await writeFile(path, '\uFEFFa\nb\n')
    expect(readIdFileSync(path)).toBe('a\nb\n')
  })

  it('refuses a FIFO without blocking, a device and a directory, naming the kind and not the path', async () => {
    const fifo = join(dir, SECRET)
    execFileSync('mkfifo', [fifo])
    const sub = join(dir, 'sub')
    await mkdir(sub)
    for (const [path, kind] of [
      [fifo, 'pipe'],
      ['/dev/zero', 'device'],
      [sub, 'directory']
    ] as const) {
      let error: unknown
      try {
        readIdFileSync(path)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(IdFileError)
      expect((error as Error).message).toContain(kind)
      expect((error as Error).message).not.toContain(SECRET)
    }
  })

  it('names a missing file without echoing the path (it may be a secret)', () => {
    const missing = join(dir, `${SECRET}x`)
    expect(() => readIdFileSync(missing)).toThrow(/^no such file \(ENOENT\)/)
    try {
      readIdFileSync(missing)
    } catch (e) {
      expect((e as Error).message).not.toContain(SECRET)
    }
  })

  it('refuses a file over the cap with its size, and reads one at the cap', async () => {
    const big = join(dir, 'big.txt')
    await writeFile(big, Buffer.alloc(10 * 1024 * 1024, 'a'))
    expect(() => readIdFileSync(big)).toThrow(/^10\.0 MiB, over the 8\.0 MiB/)
    const atCap = join(dir, 'at-cap.txt')
    await writeFile(atCap, Buffer.alloc(MAX_ID_FILE_BYTES, '\n'))
    expect(readIdFileSync(atCap)).toHaveLength(MAX_ID_FILE_BYTES)
  })

  it('fits 100,000 ids with room to spare, also as compact JSON objects', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `tok${String(i).padStart(19, '0')}`)
    expect(Buffer.byteLength(ids.join('\n'))).toBeLessThan(MAX_ID_FILE_BYTES / 3)
    expect(Buffer.byteLength(JSON.stringify(ids.map(id => ({ id }))))).toBeLessThan(MAX_ID_FILE_BYTES / 2)
  })
})

describe('readIdStream', () => {
  it('stops at the cap', async () => {
    const chunks = Array.from({ length: 9 }, () => Buffer.alloc(1024 * 1024, 'a'))
    await expect(readIdStream(chunks)).rejects.toThrow(IdFileError)
    await expect(readIdStream(['x\n', Buffer.from('y')])).resolves.toBe('x\ny')
  })
})

describe('parseIdDocument', () => {
  it('reads the same ids from text with comments, a JSON array, {id} objects and the CLI report', () => {
    fc.assert(
      fc.property(fc.uniqueArray(ID, { minLength: 1, maxLength: 30 }), ids => {
        const forms = [
          `# incident 42\n\n${ids.map((id, i) => (i % 2 ? `${id}  # from the log` : id)).join('\n')}\n`,
          JSON.stringify(ids),
          JSON.stringify(
            ids.map(id => ({ id, name: 'x #1' })),
            null,
            2
          ),
          JSON.stringify({ version: 1, mode: 'ids', outcomes: ids.map(id => ({ id, outcome: 'left' })) }),
          JSON.stringify({ data: ids.map(id => ({ id })), meta: {} })
        ]
        for (const form of forms) {
          expect(parseIdDocument(form)).toEqual({ ids, malformed: [], unusable: 0 })
        }
      })
    )
  })

  it('takes concatenated documents as their union, comments between them allowed', () => {
    fc.assert(
      fc.property(fc.uniqueArray(ID, { minLength: 2, maxLength: 20 }), fc.nat(), (ids, at) => {
        const cut = 1 + (at % (ids.length - 1))
        const a = JSON.stringify(
          { version: 1, mode: 'audit', outcomes: ids.slice(0, cut).map(id => ({ id })) },
          null,
          2
        )
        const b = JSON.stringify({
          version: 1,
          mode: 'audit',
          outcomes: ids.slice(cut - 1).map(id => ({ id }))
        })
        expect(parseIdDocument(`# first audit\n${a}\n# second\n${b}\n`).ids).toEqual(ids)
      })
    )
  })

  it('refuses broken JSON saying where, never quoting the file', () => {
    for (const text of [`[${JSON.stringify(SECRET)}`, `{"outcomes": []} ${SECRET}`, '{"a": 1}', `[1]]`]) {
      let error: unknown
      try {
        parseIdDocument(text)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(IdDocumentError)
      expect((error as Error).message).not.toContain(SECRET)
    }
  })

  it('counts JSON entries that name no id, and keeps a string with a blank in it as one malformed entry', () => {
    expect(parseIdDocument('[1, {"name": "x"}, "a b", "ABCDEFGHIJKLMNOPQRSTUV"]')).toEqual({
      ids: ['ABCDEFGHIJKLMNOPQRSTUV'],
      malformed: ['a b'],
      unusable: 2
    })
  })

  it('parses a 10 MB log in bounded stack (no recursion, no argument spreading)', () => {
    const words = Array.from({ length: 1_000_000 }, (_, i) => `w${i}`).join(' ')
    const list = parseIdDocument(words)
    expect(list.malformed).toHaveLength(1_000_000)
    const deep = '['.repeat(200_000) + ']'.repeat(200_000)
    expect(parseIdDocument(deep)).toEqual({ ids: [], malformed: [], unusable: 1 })
  })
})

describe('entry excerpts', () => {
  it('never show a value-like run in any wrapping, and are one safe line', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{25,40}$/),
        fc.constantFrom('"%"', "'%'", '%,', 'KEY=%', 'Bearer %', '(%)'),
        (value, wrap) => {
          const entry = wrap.replace('%', value)
          expect(entryExcerpt(entry)).not.toContain(value.slice(0, 20))
        }
      )
    )
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), text => {
        const shown = entryExcerpt(text)
        expect(shown).not.toMatch(/[\r\n\u2028\u2029]/)
        expect(shown).not.toContain('##[')
      })
    )
  })

  it('summarise by the first few and the count of the rest', () => {
    expect(summariseEntries(['a', 'b', 'c', 'd', 'e'])).toBe('"a", "b", "c" and 2 more')
    expect(summariseEntries(['x.'.repeat(50)])).toBe(`"${'x.'.repeat(12)}…"`)
  })
})
