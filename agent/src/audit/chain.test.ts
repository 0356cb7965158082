import { describe, expect, it } from 'vitest'
import { type ChainEntry, canonicalJson, entryContent, GENESIS_HASH, nextEntry, verifyChain } from './chain'

function chainOf(n: number): ChainEntry[] {
  const out: ChainEntry[] = []
  for (let i = 0; i < n; i++)
    out.push(
      nextEntry(out.at(-1), new Date(Date.UTC(2026, 11, 2, 0, 0, i)).toISOString(), {
        kind: 'record.read',
        organisationId: 'h1',
        resources: [`Observation/${i}`],
        checks: { signature: { passed: true } },
      }),
    )
  return out
}

describe('audit hash chain', () => {
  it('canonical JSON sorts keys (RFC 8785) and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 2, y: undefined, é: 1, e: 0 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"e":0,"z":2,"é":1}}',
    )
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError)
  })

  it('a chain as written verifies, and its head is the last hash', () => {
    const chain = chainOf(50)
    expect(chain[0]!.prev).toBe(GENESIS_HASH)
    expect(entryContent(chain[1]!)).toEqual({
      at: '2026-12-02T00:00:01.000Z',
      event: expect.objectContaining({ resources: ['Observation/1'] }),
    })
    const result = verifyChain(chain)
    expect(result).toEqual({ ok: true, count: 50, head: chain[49]!.hash, lastSeq: 50 })
    expect(verifyChain([])).toEqual({ ok: true, count: 0, head: GENESIS_HASH, lastSeq: 0 })
  })

  it('finds an altered entry and says which', () => {
    const chain = chainOf(10)
    chain[6] = { ...chain[6]!, data: chain[6]!.data.replace('Observation/6', 'Observation/999') }
    expect(verifyChain(chain)).toMatchObject({ ok: false, count: 6, problem: { code: 'altered', seq: 7 } })
  })

  it('an altered entry whose hash was recomputed breaks the link of the next one', () => {
    const chain = chainOf(10)
    chain[3] = nextEntry(chain[2], entryContent(chain[3]!).at, {
      kind: 'record.read',
      organisationId: 'other',
    })
    expect(verifyChain(chain)).toMatchObject({ ok: false, problem: { code: 'broken_link', seq: 5 } })
  })

  it('finds removed entries (in the middle, and at the end against a signed checkpoint)', () => {
    const chain = chainOf(10)
    const gap = [...chain.slice(0, 4), ...chain.slice(6)]
    expect(verifyChain(gap)).toMatchObject({ ok: false, problem: { code: 'missing', seq: 5 } })
    expect(
      verifyChain(gap).ok || (verifyChain(gap) as { problem: { message: string } }).problem.message,
    ).toContain('Entries 5–6 are missing')
    const truncated = chain.slice(0, 8)
    expect(verifyChain(truncated).ok).toBe(true)
    expect(verifyChain(truncated, { expectHead: { seq: 10, hash: chain[9]!.hash } })).toMatchObject({
      ok: false,
      problem: { code: 'missing', seq: 9 },
    })
  })

  it('finds reordered entries', () => {
    const chain = chainOf(10)
    const swapped = [...chain]
    ;[swapped[4], swapped[5]] = [swapped[5]!, swapped[4]!]
    expect(verifyChain(swapped)).toMatchObject({ ok: false, problem: { code: 'reordered', seq: 5 } })
    const renumbered = swapped.map((e, i) => ({ ...e, seq: i + 1 }))
    expect(verifyChain(renumbered)).toMatchObject({ ok: false, problem: { code: 'broken_link', seq: 5 } })
    const duplicated = [...chain.slice(0, 5), chain[2]!, ...chain.slice(5)]
    expect(verifyChain(duplicated)).toMatchObject({ ok: false, problem: { code: 'reordered', seq: 3 } })
  })

  it('a log rewritten from scratch is consistent in itself, but not with the signed checkpoint', () => {
    const chain = chainOf(10)
    const checkpoint = { seq: 10, hash: chain[9]!.hash }
    const rewritten: ChainEntry[] = []
    for (const e of chain) {
      const { at, event } = entryContent(e)
      rewritten.push(nextEntry(rewritten.at(-1), at, { ...event, organisationId: 'forged' }))
    }
    expect(verifyChain(rewritten).ok).toBe(true)
    expect(verifyChain(rewritten, { expectHead: checkpoint })).toMatchObject({
      ok: false,
      problem: { code: 'head_mismatch', seq: 10 },
    })
  })
})
