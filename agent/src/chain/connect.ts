import { join } from 'node:path'
import type { JsonRpcProvider } from 'ethers'
import type { ChainConfig } from '../config'
import { createLock } from '../util/lock'
import { type AnvilNode, startAnvil } from './anvil'
import { createProvider } from './provider'
import { ensureRegistry, hasCode } from './registry'

/** anvil's first development account: funds organisations on the embedded chain only. */
const ANVIL_DEV_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'

/** The chain the agent works with. */
export interface Chain {
  embedded: boolean
  rpcUrl: string
  chainId: number
  registry: `0x${string}`
  provider: JsonRpcProvider
  /** Account that pays gas for organisations' controller keys, when one is configured. */
  funderKey: string | undefined
  /** Serialises chain writes (shared sender nonces). */
  writeLock: { run<T>(task: () => Promise<T>): Promise<T> }
  stop(): Promise<void>
}

/** The configured chain cannot be used. */
export class ChainError extends Error {
  override readonly name = 'ChainError'
  readonly code = 'chain_unavailable'
}

/**
 * Connects to the chain: starts the embedded anvil (state in `<dataDir>/chain`) and deploys the
 * registry on first start, or checks the configured network and registry.
 *
 * @example
 * const chain = await connectChain({ config: { kind: 'embedded', port: 0 }, dataDir: '.clavis' })
 */
export async function connectChain(options: {
  config: ChainConfig
  dataDir: string
  onProgress?: (message: string) => void
}): Promise<Chain> {
  const { config } = options
  if (config.kind === 'embedded') {
    const stateDir = join(options.dataDir, 'chain')
    options.onProgress?.('starting the embedded chain (anvil)')
    const node: AnvilNode = await startAnvil({ stateDir, port: config.port })
    const provider = createProvider({ rpcUrl: node.rpcUrl, chainId: node.chainId })
    try {
      const registry = await ensureRegistry({
        provider,
        deployerKey: ANVIL_DEV_KEY,
        recordPath: join(stateDir, 'registry.json'),
        chainId: node.chainId,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      })
      return {
        embedded: true,
        rpcUrl: node.rpcUrl,
        chainId: node.chainId,
        registry: registry.address,
        provider,
        funderKey: ANVIL_DEV_KEY,
        writeLock: createLock(),
        async stop() {
          provider.destroy()
          await node.stop()
        },
      }
    } catch (e) {
      provider.destroy()
      await node.stop()
      throw e
    }
  }
  const provider = createProvider({ rpcUrl: config.rpcUrl, chainId: config.chainId })
  try {
    const actual = Number.parseInt((await provider.send('eth_chainId', [])) as string, 16)
    if (actual !== config.chainId) {
      throw new ChainError(
        `CLAVIS_CHAIN_ID is ${config.chainId} but ${config.rpcUrl} serves chain ${actual}.`,
      )
    }
    if (!(await hasCode(provider, config.registry))) {
      throw new ChainError(
        `No contract at CLAVIS_REGISTRY_ADDRESS ${config.registry} on chain ${config.chainId}. Check the address of the ERC-1056 registry on that network.`,
      )
    }
  } catch (e) {
    provider.destroy()
    if (e instanceof ChainError) throw e
    throw new ChainError(
      `Cannot reach the chain at ${config.rpcUrl}: ${(e as Error).message}. Check CLAVIS_RPC_URL.`,
    )
  }
  return {
    embedded: false,
    rpcUrl: config.rpcUrl,
    chainId: config.chainId,
    registry: config.registry,
    provider,
    funderKey: config.funderPrivateKey,
    writeLock: createLock(),
    async stop() {
      provider.destroy()
    },
  }
}
