import { setTimeout as sleep } from 'node:timers/promises'
import { type CachedResolver, createCachedResolver } from '@clavis/did'
import { Resolver } from 'did-resolver'
import { computeAddress, Interface } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registryArtifact } from '../src/chain/registry'
import { createRegistryChangeFeed, REGISTRY_CHANGE_TOPICS } from '../src/chain/registry-watch'
import { startTestAgent, type TestAgent } from './harness'

// The DID resolution cache on the real embedded chain: a change made through the API is seen by
// the very next resolution, and a change to another DID leaves the cached one alone.

describe('DID resolution cache on the embedded chain', () => {
  let t: TestAgent
  let cached: CachedResolver
  const identityOf = (did: string) => computeAddress(did.split(':').pop()!).toLowerCase()
  const addService = async (org: { id: string; token: string }, serviceEndpoint: string) => {
    const res = await t.request('POST', `/v1/organisations/${org.id}/did/services`, {
      token: org.token,
      body: { type: 'LinkedDomains', serviceEndpoint },
    })
    expect(res.status).toBe(201)
  }
  const endpoints = async (did: string) => {
    const result = await cached.resolve(did, { accept: 'application/did+json' })
    expect(result.didResolutionMetadata.error).toBeUndefined()
    return (result.didDocument?.service ?? []).map((s) => s.serviceEndpoint)
  }

  beforeAll(async () => {
    t = await startTestAgent()
    const { chain, resolver } = t.agent.ctx
    const feed = createRegistryChangeFeed({ provider: chain.provider, registry: chain.registry })
    cached = createCachedResolver({ resolver, feed })
  })
  afterAll(async () => {
    await t?.stop()
  })

  it('listens for the event topics of the shipped registry ABI', () => {
    const abi = new Interface(registryArtifact().abi as never)
    const topics = ['DIDOwnerChanged', 'DIDDelegateChanged', 'DIDAttributeChanged'].map(
      (name) => abi.getEvent(name)?.topicHash,
    )
    expect([...REGISTRY_CHANGE_TOPICS]).toEqual(topics)
  })

  it('answers the second resolution from the cache', async () => {
    const first = await endpoints(t.board.did)
    expect(await endpoints(t.board.did)).toEqual(first)
    expect(cached.stats()).toMatchObject({ hits: 1, misses: 1, size: 1 })
  })

  it('sees a change made through the API on the very next resolution', async () => {
    await addService(t.board, 'https://x.example/')
    expect(await endpoints(t.board.did)).toContain('https://x.example/')
    expect(cached.stats()).toMatchObject({ hits: 1, misses: 2, invalidations: 1 })
  })

  it('keeps the cached DID when another DID changes', async () => {
    // A document resolved within 2 s of its DID's change is not cached (registry times are seconds).
    await sleep(2100)
    await endpoints(t.board.did)
    await endpoints(t.hospital.did)
    const before = cached.stats()
    await addService(t.hospital, 'https://hospital.example/')
    expect(await endpoints(t.board.did)).toContain('https://x.example/')
    expect(await endpoints(t.hospital.did)).toContain('https://hospital.example/')
    expect(cached.stats()).toMatchObject({ hits: before.hits + 1, misses: before.misses + 1 })
  })

  it('works behind a did-resolver Resolver, as wired in the agent', async () => {
    const wired = new Resolver({
      ethr: (_did, parsed, _resolver, options) => cached.resolve(parsed.didUrl, options),
    })
    const before = cached.stats()
    const result = await wired.resolve(`${t.board.did}#controller`, { accept: 'application/did+json' })
    expect(result.didDocument?.id).toBe(t.board.did)
    expect(cached.stats().hits).toBe(before.hits + 1)
  })

  it('reports the changed identities in a block range, in chunks of at most 5000 blocks', async () => {
    const { provider, registry } = t.agent.ctx.chain
    const head = await provider.getBlockNumber()
    // anvil refuses ranges past its head, and mining 10 000 blocks takes long: this provider
    // records the ranges asked for and sends the part up to the head to the real node.
    const ranges: [number, number][] = []
    const recording = {
      getBlockNumber: () => provider.getBlockNumber(),
      async getLogs(filter: { fromBlock: number; toBlock: number }) {
        ranges.push([filter.fromBlock, filter.toBlock])
        if (filter.fromBlock > head) return []
        return provider.getLogs({ ...filter, toBlock: Math.min(filter.toBlock, head) })
      },
    }
    const feed = createRegistryChangeFeed({ provider: recording as never, registry })
    expect(await feed.latestBlock()).toBe(head)
    const changed = await feed.changedIdentities({ fromBlock: 0, toBlock: head + 12_000 })
    expect(changed.sort()).toEqual([identityOf(t.board.did), identityOf(t.hospital.did)].sort())
    expect(ranges).toEqual([
      [0, 4_999],
      [5_000, 9_999],
      [10_000, head + 12_000],
    ])
    // The last change (the hospital's service) is in the head block.
    expect(await feed.changedIdentities({ fromBlock: head, toBlock: head })).toEqual([
      identityOf(t.hospital.did),
    ])
  })
})
