import { describe, expect, it } from 'vitest'
import { type ReadAuditPage, readNewest, TrailPagingError } from './audit-tail'

/** A trail as `listAudit` pages it: oldest first, `next` when the page is full. */
function fakeTrail(seqs: number[]) {
  let requests = 0
  const read: ReadAuditPage<{ seq: number }> = async ({ after, limit }) => {
    requests++
    const entries = seqs
      .filter((s) => s > after)
      .slice(0, limit)
      .map((seq) => ({ seq }))
    return entries.length === limit ? { entries, next: entries.at(-1)!.seq } : { entries }
  }
  return { read, requests: () => requests }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)
const seqsOf = (r: { entries: { seq: number }[] }) => r.entries.map((e) => e.seq)

describe('readNewest: the tail of an oldest-first trail', () => {
  it('a contiguous trail: the newest page in a few requests, then the next older page', async () => {
    const trail = fakeTrail(range(1, 100_000))
    const first = await readNewest({ read: trail.read, count: 50 })
    expect(seqsOf(first)).toEqual(range(99_951, 100_000).reverse())
    expect(first.older).toBe(true)
    expect(trail.requests()).toBeLessThan(40)
    const second = await readNewest({ read: trail.read, count: 50, before: 99_951 })
    expect(seqsOf(second)).toEqual(range(99_901, 99_950).reverse())
  })

  it('a short trail is read in one request and reports nothing older', async () => {
    const trail = fakeTrail(range(1, 12))
    const r = await readNewest({ read: trail.read, count: 50 })
    expect(seqsOf(r)).toEqual(range(1, 12).reverse())
    expect(r.older).toBe(false)
    expect(trail.requests()).toBe(1)
    expect(await readNewest({ read: trail.read, count: 50, before: 1 })).toEqual({
      entries: [],
      older: false,
    })
  })

  it('matches reading everything, for sparse and dense filtered trails', async () => {
    let state = 7
    const random = () => {
      state = (state * 48_271) % 2_147_483_647
      return state / 2_147_483_647
    }
    for (let round = 0; round < 40; round++) {
      const density = [0.001, 0.02, 0.5, 1][round % 4]!
      const seqs = range(1, 5000).filter(() => random() < density)
      const trail = fakeTrail(seqs)
      const before = round % 3 === 0 ? undefined : Math.floor(random() * 5200)
      const count = 1 + Math.floor(random() * 80)
      const below = seqs.filter((s) => before === undefined || s < before)
      const r = await readNewest({ read: trail.read, count, before, limit: 40 })
      expect(seqsOf(r)).toEqual(below.slice(-count).reverse())
      expect(r.older).toBe(below.length > count)
    }
  })

  it('an answer out of order stops with a coded error instead of looping', async () => {
    const read: ReadAuditPage<{ seq: number }> = async () => ({ entries: [{ seq: 1 }], next: 1 })
    await expect(readNewest({ read, count: 5, limit: 1 })).rejects.toBeInstanceOf(TrailPagingError)
  })
})
