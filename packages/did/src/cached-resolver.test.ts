import type { DIDResolutionResult } from 'did-resolver'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCachedResolver, type RegistryChangeFeed } from './cached-resolver'

// anvil's first development key: compressed public key and its Ethereum address.
const KEY = '0x038318535b54105d4a7aae60c08fc45f9687181b4fdfc625bd1a753fa7397fed75'
const KEY_ADDRESS = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
const KEY_DID = `did:ethr:0x7a69:${KEY}`
const ADDRESS = '0xb9c5714089478a327f09197987f16f9e5d936e8a'
const ADDRESS_DID = `did:ethr:0x7a69:${ADDRESS}`

/** A resolver that counts calls per DID and answers with a document carrying a version. */
function countingResolver() {
  const calls = new Map<string, number>()
  let version = 0
  const errors = new Set<string>()
  return {
    calls,
    errors,
    bump() {
      version++
    },
    count: (did: string) => calls.get(did) ?? 0,
    async resolve(didUrl: string): Promise<DIDResolutionResult> {
      calls.set(didUrl, (calls.get(didUrl) ?? 0) + 1)
      if (errors.has(didUrl))
        return { didResolutionMetadata: { error: 'notFound' }, didDocument: null, didDocumentMetadata: {} }
      const did = didUrl.split(/[?#]/)[0]!
      return {
        didResolutionMetadata: { contentType: 'application/did+json' },
        didDocument: {
          id: did,
          service: [{ id: `${did}#v`, type: 'Version', serviceEndpoint: `${version}` }],
        },
        didDocumentMetadata: {},
      }
    },
  }
}

/** A chain with a head and change events per block. */
function fakeFeed() {
  const state = { head: 100, changes: new Map<number, string[]>(), fail: false, headCalls: 0, scanCalls: 0 }
  const feed: RegistryChangeFeed = {
    async latestBlock() {
      state.headCalls++
      await Promise.resolve()
      if (state.fail) throw new Error('connect ECONNREFUSED 127.0.0.1:8545')
      return state.head
    },
    async changedIdentities({ fromBlock, toBlock }) {
      state.scanCalls++
      const out: string[] = []
      for (let b = fromBlock; b <= toBlock; b++) out.push(...(state.changes.get(b) ?? []))
      return out
    },
  }
  const change = (identity: string) => {
    state.head++
    state.changes.set(state.head, [identity])
  }
  return { state, feed, change }
}

const version = (r: DIDResolutionResult) => r.didDocument?.service?.[0]?.serviceEndpoint

describe('createCachedResolver', () => {
  it('answers a repeated resolve from the cache', async () => {
    const inner = countingResolver()
    const cached = createCachedResolver({ resolver: inner, feed: fakeFeed().feed })
    await cached.resolve(KEY_DID)
    await cached.resolve(KEY_DID)
    await cached.resolve(`${KEY_DID}#controller`)
    expect(inner.count(KEY_DID)).toBe(1)
    expect(cached.stats()).toEqual({ hits: 2, misses: 1, size: 1, evictions: 0, invalidations: 0 })
  })

  it('keys by resolution options as well', async () => {
    const inner = countingResolver()
    const cached = createCachedResolver({ resolver: inner })
    await cached.resolve(ADDRESS_DID, { accept: 'application/did+json' })
    await cached.resolve(ADDRESS_DID, { accept: 'application/did+json' })
    await cached.resolve(ADDRESS_DID)
    expect(inner.count(ADDRESS_DID)).toBe(2)
  })

  it('drops a DID when the registry reports a change to its identity, and only that DID', async () => {
    const inner = countingResolver()
    const { feed, change, state } = fakeFeed()
    const cached = createCachedResolver({ resolver: inner, feed })
    await cached.resolve(KEY_DID)
    await cached.resolve(ADDRESS_DID)
    inner.bump()
    change(KEY_ADDRESS)
    expect(version(await cached.resolve(KEY_DID))).toBe('1')
    expect(version(await cached.resolve(ADDRESS_DID))).toBe('0')
    expect(inner.count(KEY_DID)).toBe(2)
    expect(inner.count(ADDRESS_DID)).toBe(1)
    expect(cached.stats().invalidations).toBe(1)
    // One scan for the new block, none when the head has not moved.
    expect(state.scanCalls).toBe(1)
  })

  it('matches an address DID by its address, in any case', async () => {
    const inner = countingResolver()
    const { feed, change } = fakeFeed()
    const cached = createCachedResolver({ resolver: inner, feed })
    await cached.resolve(ADDRESS_DID)
    change(ADDRESS.toUpperCase().replace('0X', '0x'))
    await cached.resolve(ADDRESS_DID)
    expect(inner.count(ADDRESS_DID)).toBe(2)
  })

  it('does not cache a result fetched while its DID changed', async () => {
    const { feed, change } = fakeFeed()
    const inner = countingResolver()
    let gate: Promise<void> | undefined
    let release!: () => void
    const slow = {
      async resolve(didUrl: string) {
        const result = await inner.resolve(didUrl)
        await gate
        return result
      },
    }
    const cached = createCachedResolver({ resolver: slow, feed })
    await cached.resolve(ADDRESS_DID) // sets the scanned block
    cached.invalidate(ADDRESS_DID)
    gate = new Promise<void>((r) => {
      release = r
    })
    const first = cached.resolve(ADDRESS_DID) // reads the old document, then waits
    await vi.waitFor(() => expect(inner.count(ADDRESS_DID)).toBe(2))
    inner.bump()
    change(ADDRESS)
    // Another resolve looks at the chain while the first is under way and sees the change.
    const other = cached.resolve(KEY_DID)
    await vi.waitFor(() => expect(inner.count(KEY_DID)).toBe(1))
    release()
    expect(version(await first)).toBe('0')
    await other
    expect(version(await cached.resolve(ADDRESS_DID))).toBe('1')
    expect(inner.count(ADDRESS_DID)).toBe(3)
  })

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const inner = countingResolver()
    const cached = createCachedResolver({ resolver: inner, maxEntries: 2 })
    const dids = ['a', 'b', 'c'].map((c) => `did:ethr:0x7a69:0x${c.repeat(40)}`)
    await cached.resolve(dids[0]!)
    await cached.resolve(dids[1]!)
    await cached.resolve(dids[0]!) // a is now the most recent
    await cached.resolve(dids[2]!) // evicts b
    expect(cached.stats()).toMatchObject({ size: 2, evictions: 1 })
    await cached.resolve(dids[0]!)
    await cached.resolve(dids[1]!)
    expect(inner.count(dids[0]!)).toBe(1)
    expect(inner.count(dids[1]!)).toBe(2)
  })

  describe('with a clock', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(0)
    })
    afterEach(() => {
      vi.useRealTimers()
    })

    it('refetches results older than maxAgeMs', async () => {
      const inner = countingResolver()
      const cached = createCachedResolver({ resolver: inner, maxAgeMs: 1_000 })
      await cached.resolve(ADDRESS_DID)
      vi.setSystemTime(999)
      await cached.resolve(ADDRESS_DID)
      vi.setSystemTime(1_000)
      await cached.resolve(ADDRESS_DID)
      expect(inner.count(ADDRESS_DID)).toBe(2)
    })

    it('trusts one head answer for headCheckIntervalMs', async () => {
      const { feed, state } = fakeFeed()
      const cached = createCachedResolver({ resolver: countingResolver(), feed, headCheckIntervalMs: 500 })
      await cached.resolve(ADDRESS_DID)
      await cached.resolve(ADDRESS_DID)
      vi.setSystemTime(500)
      await cached.resolve(ADDRESS_DID)
      expect(state.headCalls).toBe(2)
    })

    it('looks at the head again after headMoved, within the interval too, and sees the change', async () => {
      const { feed, state, change } = fakeFeed()
      const inner = countingResolver()
      const cached = createCachedResolver({ resolver: inner, feed, headCheckIntervalMs: 60_000 })
      await cached.resolve(ADDRESS_DID)
      await cached.resolve(ADDRESS_DID)
      expect(state.headCalls).toBe(1)
      change(ADDRESS)
      inner.bump()
      await cached.resolve(ADDRESS_DID)
      // Within the interval and not told: the cached answer.
      expect(inner.count(ADDRESS_DID)).toBe(1)
      cached.headMoved()
      const after = await cached.resolve(ADDRESS_DID)
      expect(state.headCalls).toBe(2)
      expect(inner.count(ADDRESS_DID)).toBe(2)
      expect(after.didDocument?.service?.[0]?.serviceEndpoint).toBe('1')
      // One look per headMoved: the next resolution is within the interval again.
      await cached.resolve(ADDRESS_DID)
      expect(state.headCalls).toBe(2)
    })

    it('after headMoved, does not join a look that started before it', async () => {
      const { state, change, feed: answersLate } = fakeFeed()
      // The head is read when the call is made and answered a tick later.
      const feed: RegistryChangeFeed = {
        async latestBlock() {
          const head = state.head
          state.headCalls++
          await Promise.resolve()
          return head
        },
        changedIdentities: (range) => answersLate.changedIdentities(range),
      }
      const inner = countingResolver()
      const cached = createCachedResolver({ resolver: inner, feed, headCheckIntervalMs: 60_000 })
      await cached.resolve(ADDRESS_DID)
      vi.setSystemTime(60_000)
      // A look under way (the interval ran out) when this process's write is mined.
      const early = cached.forVerification().resolve(ADDRESS_DID)
      change(ADDRESS)
      inner.bump()
      cached.headMoved()
      const late = cached.forVerification().resolve(ADDRESS_DID)
      await early
      expect((await late).didDocument?.service?.[0]?.serviceEndpoint).toBe('1')
      expect(state.headCalls).toBe(3)
    })
  })

  it('does not cache errors', async () => {
    const inner = countingResolver()
    inner.errors.add(ADDRESS_DID)
    const cached = createCachedResolver({ resolver: inner })
    expect((await cached.resolve(ADDRESS_DID)).didResolutionMetadata.error).toBe('notFound')
    await cached.resolve(ADDRESS_DID)
    expect(inner.count(ADDRESS_DID)).toBe(2)
    expect(cached.stats().size).toBe(0)
  })

  it('does not cache a resolver that throws, and lets the error through', async () => {
    let calls = 0
    const cached = createCachedResolver({
      resolver: {
        async resolve() {
          calls++
          throw new Error('boom')
        },
      },
    })
    await expect(cached.resolve(ADDRESS_DID)).rejects.toThrow('boom')
    await expect(cached.resolve(ADDRESS_DID)).rejects.toThrow('boom')
    expect(calls).toBe(2)
  })

  it('shares one head call among concurrent resolves', async () => {
    const { feed, state } = fakeFeed()
    const inner = countingResolver()
    const cached = createCachedResolver({ resolver: inner, feed })
    await Promise.all([cached.resolve(KEY_DID), cached.resolve(ADDRESS_DID), cached.resolve(KEY_DID)])
    expect(state.headCalls).toBe(1)
  })

  describe('forVerification', () => {
    it('looks at the head once for all the DIDs of a verification, and sees what was mined before it', async () => {
      const inner = countingResolver()
      const { feed, change, state } = fakeFeed()
      const cached = createCachedResolver({ resolver: inner, feed })
      await cached.resolve(KEY_DID)
      await cached.resolve(ADDRESS_DID)
      inner.bump()
      change(KEY_ADDRESS)
      const calls = state.headCalls
      const one = cached.forVerification()
      expect(version(await one.resolve(ADDRESS_DID))).toBe('0')
      expect(version(await one.resolve(KEY_DID))).toBe('1')
      expect(version(await one.resolve(`${KEY_DID}#controller`))).toBe('1')
      expect(state.headCalls - calls).toBe(1)
      // The next verification looks again.
      await cached.forVerification().resolve(ADDRESS_DID)
      expect(state.headCalls - calls).toBe(2)
    })

    it('does not count a look at the head that started before the verification began', async () => {
      const inner = countingResolver()
      const { feed, change, state } = fakeFeed()
      let release!: () => void
      let gate = Promise.resolve()
      const slowFeed = {
        ...feed,
        async latestBlock() {
          const head = state.head
          await gate
          return head
        },
      }
      const cached = createCachedResolver({ resolver: inner, feed: slowFeed })
      await cached.resolve(KEY_DID)
      gate = new Promise<void>((r) => {
        release = r
      })
      const early = cached.resolve(KEY_DID) // a look at head 100 under way
      await Promise.resolve()
      inner.bump()
      change(KEY_ADDRESS) // mined before the verification below begins
      const later = cached.forVerification().resolve(KEY_DID)
      release()
      await early
      expect(version(await later)).toBe('1')
    })

    it('fails closed when its look at the head fails', async () => {
      const { feed, state } = fakeFeed()
      const cached = createCachedResolver({ resolver: countingResolver(), feed })
      await cached.resolve(KEY_DID)
      state.fail = true
      const result = await cached.forVerification().resolve(KEY_DID)
      expect(result.didResolutionMetadata.error).toBe('internalError')
    })
  })

  it('fails closed when the feed fails, even for a cached DID', async () => {
    const { feed, state, change } = fakeFeed()
    const inner = countingResolver()
    const cached = createCachedResolver({ resolver: inner, feed })
    await cached.resolve(KEY_DID)
    state.fail = true
    const result = await cached.resolve(KEY_DID)
    expect(result.didDocument).toBeNull()
    expect(result.didResolutionMetadata.error).toBe('internalError')
    expect(result.didResolutionMetadata.message).toMatch(/ECONNREFUSED.*Check the chain RPC endpoint/)
    // A change made while the feed was down is still seen once it is back.
    inner.bump()
    change(KEY_ADDRESS)
    state.fail = false
    expect(version(await cached.resolve(KEY_DID))).toBe('1')
  })

  it('passes DID URLs with a query through, uncached', async () => {
    const inner = countingResolver()
    const { feed, state } = fakeFeed()
    const cached = createCachedResolver({ resolver: inner, feed })
    const url = `${KEY_DID}?versionId=42`
    await cached.resolve(url)
    await cached.resolve(url)
    expect(inner.count(url)).toBe(2)
    expect(cached.stats()).toMatchObject({ hits: 0, size: 0 })
    expect(state.headCalls).toBe(0)
  })

  it('returns copies callers cannot use to change the cache', async () => {
    const cached = createCachedResolver({ resolver: countingResolver() })
    const first = await cached.resolve(ADDRESS_DID)
    first.didDocument!.id = 'did:example:evil'
    const second = await cached.resolve(ADDRESS_DID)
    second.didDocument!.service = []
    const third = await cached.resolve(ADDRESS_DID)
    expect(third.didDocument?.id).toBe(ADDRESS_DID)
    expect(version(third)).toBe('0')
  })

  it('forgets a DID on invalidate and everything on clear', async () => {
    const inner = countingResolver()
    const cached = createCachedResolver({ resolver: inner })
    await cached.resolve(ADDRESS_DID)
    await cached.resolve(KEY_DID)
    cached.invalidate(`${ADDRESS_DID}#controller`)
    expect(cached.stats().size).toBe(1)
    cached.clear()
    expect(cached.stats().size).toBe(0)
  })

  it('refuses bad options with the option name', () => {
    const resolver = countingResolver()
    expect(() => createCachedResolver({ resolver, maxEntries: 0 })).toThrow(/maxEntries/)
    expect(() => createCachedResolver({ resolver, maxAgeMs: -1 })).toThrow(/maxAgeMs/)
    expect(() => createCachedResolver({ resolver: {} as never })).toThrow(/resolver/)
  })
})

describe('createCachedResolver: the second of a change', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('does not cache a document resolved within 2 s of a change of its DID (a revocation shows a second later)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const inner = countingResolver()
    const { feed, change } = fakeFeed()
    const cached = createCachedResolver({ resolver: inner, feed })
    await cached.resolve(ADDRESS_DID)
    change(ADDRESS)
    await cached.resolve(ADDRESS_DID)
    await cached.resolve(ADDRESS_DID)
    expect(inner.count(ADDRESS_DID)).toBe(3)
    vi.setSystemTime(Date.now() + 2001)
    await cached.resolve(ADDRESS_DID)
    await cached.resolve(ADDRESS_DID)
    expect(inner.count(ADDRESS_DID)).toBe(4)
  })
})
