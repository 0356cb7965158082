import type { RegistryChangeFeed } from '@clavis/did'
import { id, type JsonRpcProvider } from 'ethers'

/** Topic hashes of the three ERC-1056 events that change a DID document (`EthereumDIDRegistry` ABI). */
export const REGISTRY_CHANGE_TOPICS = [
  id('DIDOwnerChanged(address,address,uint256)'),
  id('DIDDelegateChanged(address,bytes32,address,uint256,uint256)'),
  id('DIDAttributeChanged(address,bytes32,bytes,uint256,uint256)'),
] as const

/** Most blocks asked for in one `eth_getLogs` call (many RPC providers refuse wider ranges). */
const MAX_BLOCKS_PER_QUERY = 5_000

/**
 * The registry's change events through an ethers provider, for `createCachedResolver`.
 *
 * @example
 * const feed = createRegistryChangeFeed({ provider: ctx.chain.provider, registry: ctx.chain.registry })
 * const resolver = createCachedResolver({ resolver: createEthrResolver({ networks }), feed })
 */
export function createRegistryChangeFeed(options: {
  provider: JsonRpcProvider
  /** A faster head lookup than the provider's (see json-rpc.ts); defaults to the provider. */
  latestBlock?: () => Promise<number>
  registry: string
}): RegistryChangeFeed {
  const { provider, registry } = options
  return {
    latestBlock: options.latestBlock ?? (() => provider.getBlockNumber()),
    async changedIdentities({ fromBlock, toBlock }) {
      if (
        !Number.isSafeInteger(fromBlock) ||
        !Number.isSafeInteger(toBlock) ||
        fromBlock < 0 ||
        toBlock < fromBlock
      )
        throw new RangeError(`changedIdentities: bad block range [${fromBlock}, ${toBlock}]`)
      const changed = new Set<string>()
      for (let from = fromBlock; from <= toBlock; from += MAX_BLOCKS_PER_QUERY) {
        const to = Math.min(toBlock, from + MAX_BLOCKS_PER_QUERY - 1)
        const logs = await provider.getLogs({
          address: registry,
          fromBlock: from,
          toBlock: to,
          topics: [[...REGISTRY_CHANGE_TOPICS]],
        })
        for (const log of logs) {
          const topic = log.topics[1]
          // topic[1] is the indexed identity address, left-padded to 32 bytes.
          if (typeof topic === 'string' && topic.length === 66)
            changed.add(`0x${topic.slice(26).toLowerCase()}`)
        }
      }
      return [...changed]
    },
  }
}
