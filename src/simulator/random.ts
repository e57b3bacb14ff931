import { getRandomValues } from 'node:crypto'

/** A stream of uniformly distributed 32-bit unsigned integers. */
export interface RandomSource {
  nextUint32(): number
}

/**
 * A small seeded generator (the "mulberry32" mixing function). Quality is plenty for ids and
 * fault dice; what matters is that one seed always replays the same sequence, so a failing test
 * that prints its seed can be rerun exactly.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0
  return {
    nextUint32() {
      state = (state + 0x6d2b79f5) >>> 0
      let mixed = state
      mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1)
      mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61)
      return (mixed ^ (mixed >>> 14)) >>> 0
    }
  }
}

/** Unpredictable values from the OS, drawn in batches so that seeding 10,000 tokens stays cheap. */
export function cryptoRandom(): RandomSource {
  const pool = new Uint32Array(1024)
  let next = pool.length
  return {
    nextUint32() {
      if (next === pool.length) {
        getRandomValues(pool)
        next = 0
      }
      return pool[next++]!
    }
  }
}

/** A float in [0, 1) from a source, for probabilities. */
export function nextUnit(source: RandomSource): number {
  return source.nextUint32() / 0x1_0000_0000
}

/** A fresh seed when the caller gave none; reported back so that the run can be replayed. */
export function randomSeed(): number {
  return cryptoRandom().nextUint32()
}

/**
 * A second, independent stream derived from the same seed: ids use it so that creating a token
 * never shifts the fault dice (and the other way round).
 */
export function deriveSeed(seed: number, stream: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(stream, 0xc2b2ae35)) >>> 0
}
