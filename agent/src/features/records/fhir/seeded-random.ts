/**
 * A small seeded PRNG (mulberry32) with the helpers the synthetic data generator needs: the same
 * seed string gives the same sequence.
 *
 * @example
 * const random = seededRandom('1:records:synth-0001')
 * random.int(1, 6) // the same every run
 */
export function seededRandom(seed: string) {
  let state = hash(seed)
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  return {
    int,
    pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T,
    /** `count` distinct items, in their catalogue order. */
    sample: <T>(items: readonly T[], count: number): T[] => {
      const chosen = new Set<number>()
      while (chosen.size < Math.min(count, items.length)) chosen.add(int(0, items.length - 1))
      return [...chosen].sort((a, b) => a - b).map((i) => items[i] as T)
    },
    between: (kind: { low: number; high: number; decimals: number }): number =>
      Number((kind.low + next() * (kind.high - kind.low)).toFixed(kind.decimals)),
  }
}

/** FNV-1a, 32 bits. */
export function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

export type Random = ReturnType<typeof seededRandom>
