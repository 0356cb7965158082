import { JsonRpcProvider, Network } from 'ethers'

/**
 * An ethers JSON-RPC provider set up for back-to-back transactions: no response cache (else
 * "nonce too low"), no batching (adds latency), a static network (no chain-id probe per call).
 *
 * @example
 * const provider = createProvider({ rpcUrl: 'http://127.0.0.1:8545', chainId: 31337 })
 */
export function createProvider(options: { rpcUrl: string; chainId: number }): JsonRpcProvider {
  const network = Network.from(options.chainId)
  return new JsonRpcProvider(options.rpcUrl, network, {
    staticNetwork: network,
    cacheTimeout: -1,
    batchMaxCount: 1,
    pollingInterval: 250,
  })
}
