import { FetchRequest, JsonRpcProvider, Network } from 'ethers'

/** How long one JSON-RPC call may take (ethers' default is 300 s, which held requests and locks). */
const RPC_TIMEOUT_MS = 10_000

/**
 * An ethers JSON-RPC provider set up for back-to-back transactions: no response cache (else
 * "nonce too low"), no batching (adds latency), a static network (no chain-id probe per call),
 * and a 10 s limit on every call.
 *
 * @example
 * const provider = createProvider({ rpcUrl: 'http://127.0.0.1:8545', chainId: 31337 })
 */
export function createProvider(options: {
  rpcUrl: string
  chainId: number
  timeoutMs?: number
}): JsonRpcProvider {
  const network = Network.from(options.chainId)
  const request = new FetchRequest(options.rpcUrl)
  request.timeout = options.timeoutMs ?? RPC_TIMEOUT_MS
  return new JsonRpcProvider(request, network, {
    staticNetwork: network,
    cacheTimeout: -1,
    batchMaxCount: 1,
    pollingInterval: 250,
  })
}
