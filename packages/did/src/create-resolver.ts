import { Resolver, type ResolverRegistry } from 'did-resolver'
import { getResolver } from 'ethr-did-resolver'
import { didJwkResolver } from './did-jwk'

/** One EVM network on which did:ethr DIDs are resolved. */
export interface EthrNetwork {
  chainId: number
  registry: string
  /** A JSON-RPC URL, or an ethers provider in `provider`. */
  rpcUrl?: string
  provider?: unknown
  /** Optional network name used in DIDs (`did:ethr:<name>:…`). */
  name?: string
}

/**
 * A DID resolver for did:ethr on the given networks (ERC-1056 via ethr-did-resolver).
 *
 * @example
 * const resolver = createEthrResolver({ networks: [{ chainId: 31337, registry, rpcUrl }] })
 * await resolver.resolve('did:ethr:0x7a69:0x03…')
 */
export function createEthrResolver(options: { networks: readonly EthrNetwork[] }): Resolver {
  return new Resolver(ethrRegistry(options.networks))
}

/** ethr-did-resolver's method registry for the networks. */
function ethrRegistry(networks: readonly EthrNetwork[]): ResolverRegistry {
  const configured = networks.map((n) => ({
    chainId: n.chainId,
    registry: n.registry,
    ...(n.rpcUrl ? { rpcUrl: n.rpcUrl } : {}),
    ...(n.provider ? { provider: n.provider } : {}),
    ...(n.name ? { name: n.name } : {}),
  }))
  // ethr-did-resolver is typed against did-resolver 5; the runtime contract is the same.
  return getResolver({ networks: configured } as never) as unknown as ResolverRegistry
}

/**
 * The DID resolver of Clavis: did:ethr on the given networks, and did:jwk (a holder's key as its
 * own DID: what wallets with a P-256 key, or a key only, present).
 *
 * @example
 * const resolver = createDidResolver({ networks: [{ chainId: 31337, registry, rpcUrl }] })
 * await resolver.resolve('did:jwk:eyJjcnYiOi…')
 */
export function createDidResolver(options: { networks: readonly EthrNetwork[] }): Resolver {
  return new Resolver({ ...ethrRegistry(options.networks), ...didJwkResolver() })
}
