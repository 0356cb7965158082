import { join } from 'node:path'
import { ClavisError } from '@clavis/errors'
import type { JsonRpcProvider } from 'ethers'
import type { ChainConfig } from '../config'
import { type AnvilNode, startAnvil } from './anvil'
import { createProvider } from './provider'
import { ensureRegistry, hasCode } from './registry'
import { createChainStateStore } from './state-store'
import { createWriteQueue } from './write-queue'

/** anvil's first development account: funds organisations on the embedded chain only. */
const ANVIL_DEV_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'
/** Longest a chain write (waiting for its turn included) may take before it answers 503. */
const WRITE_TIMEOUT_MS = 60_000
/** How often the embedded chain is probed, and after how many silent probes it is restarted. */
const PROBE_INTERVAL_MS = 5_000
const SILENT_PROBES_BEFORE_RESTART = 3

/** What the operator sees of the chain process (embedded chain only). */
export interface ChainProcessHealth {
  running: boolean
  restarts: number
  lastRestartAt: string | null
  /** Why the last restart was needed. */
  lastExit: string | null
}

/** The chain the agent works with. */
export interface Chain {
  embedded: boolean
  rpcUrl: string
  chainId: number
  registry: `0x${string}`
  provider: JsonRpcProvider
  /** Account that pays gas for organisations' controller keys, when one is configured. */
  funderKey: string | undefined
  /**
   * Runs a chain write alone (writes share sender nonces) and returns only once it is durable: on
   * the embedded chain its state is saved to disk; on a network it has the configured
   * confirmations. Times out with `chain_unavailable`.
   */
  write<T>(task: () => Promise<T>): Promise<T>
  /** The embedded chain's process (undefined on a network). */
  process(): ChainProcessHealth | undefined
  /** Whether the chain answers within 1.5 s (cached for 1 s). */
  reachable(): Promise<boolean>
  /** What happened at start that the operator must know (states skipped, a chain started empty). */
  startNotes: string[]
  /** The anvil process id (embedded), for the data folder's lock. */
  anvilPid(): number | undefined
  stop(): Promise<void>
}

/** The configured chain cannot be used. */
export class ChainError extends ClavisError<'chain_unavailable'> {
  override readonly name = 'ChainError'

  constructor(message: string, options: { cause?: unknown } = {}) {
    super({ code: 'chain_unavailable', message, cause: options.cause })
  }
}

/**
 * Connects to the chain: starts the embedded anvil (state in `<dataDir>/chain`, saved after every
 * write; restarted when it dies or stops answering) and deploys the registry on first start, or
 * checks the configured network and registry.
 *
 * @example
 * const chain = await connectChain({ config: { kind: 'embedded', port: 0 }, dataDir: '.clavis' })
 */
export async function connectChain(options: {
  config: ChainConfig
  dataDir: string
  onProgress?: (message: string) => void
  onEvent?: (message: string, fields?: Record<string, unknown>) => void
}): Promise<Chain> {
  const { config } = options
  if (config.kind === 'embedded') return embeddedChain({ ...options, port: config.port })
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
  const confirmations = config.confirmations ?? 1
  const queue = createWriteQueue({
    timeoutMs: WRITE_TIMEOUT_MS * Math.max(1, confirmations),
    // A write counts once the block holding it has `confirmations` blocks on top (itself included).
    persist: async () => {
      if (confirmations <= 1) return
      const landed = await provider.getBlockNumber()
      await waitForBlock(provider, landed + confirmations - 1)
    },
  })
  return {
    embedded: false,
    rpcUrl: config.rpcUrl,
    chainId: config.chainId,
    registry: config.registry,
    provider,
    funderKey: config.funderPrivateKey,
    write: (task) => queue.run(task),
    process: () => undefined,
    reachable: createProbe(config.rpcUrl),
    startNotes: [],
    anvilPid: () => undefined,
    async stop() {
      provider.destroy()
    },
  }
}

/** `eth_blockNumber` with a 1.5 s limit, its answer reused for 1 s; concurrent callers share a probe. */
function createProbe(rpcUrl: string): () => Promise<boolean> {
  let last: { at: number; ok: boolean } | undefined
  let running: Promise<boolean> | undefined
  return () => {
    if (last && Date.now() - last.at < 1000) return Promise.resolve(last.ok)
    running ??= fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}',
      signal: AbortSignal.timeout(1500),
    })
      .then(async (res) => res.ok && typeof ((await res.json()) as { result?: unknown }).result === 'string')
      .catch(() => false)
      .then((ok) => {
        last = { at: Date.now(), ok }
        running = undefined
        return ok
      })
    return running
  }
}

async function waitForBlock(provider: JsonRpcProvider, block: number): Promise<void> {
  while ((await provider.getBlockNumber()) < block) await new Promise((r) => setTimeout(r, 1000))
}

async function embeddedChain(options: {
  dataDir: string
  port: number
  onProgress?: (message: string) => void
  onEvent?: (message: string, fields?: Record<string, unknown>) => void
}): Promise<Chain> {
  const stateDir = join(options.dataDir, 'chain')
  const store = createChainStateStore({ dir: stateDir })
  options.onProgress?.('starting the embedded chain (anvil)')
  let node: AnvilNode = await startAnvil({ stateDir, port: options.port, store })
  const startNotes: string[] = []
  for (const s of node.skipped)
    startNotes.push(`skipped the saved chain state ${s.file}: ${s.reason}; loaded the one before it`)
  if (!node.loadedFrom && node.skipped.length > 0)
    startNotes.push('no saved chain state could be loaded: the embedded chain starts empty')
  const provider = createProvider({ rpcUrl: node.rpcUrl, chainId: node.chainId })
  const health: ChainProcessHealth = { running: true, restarts: 0, lastRestartAt: null, lastExit: null }
  let stopping = false

  // anvil dies or hangs: start it again on the same port from the newest saved state.
  const supervise = (current: AnvilNode) => {
    void current.exited.then(async ({ code }) => {
      if (stopping) return
      health.running = false
      health.lastExit = `anvil exited (code ${code ?? 'signal'})`
      options.onEvent?.('the embedded chain stopped; restarting it', { code })
      for (let attempt = 0; !stopping; attempt++) {
        try {
          node = await startAnvil({ stateDir, port: node.port, store })
          health.running = true
          health.restarts++
          health.lastRestartAt = new Date().toISOString()
          options.onEvent?.('the embedded chain was restarted', { restarts: health.restarts })
          supervise(node)
          return
        } catch (e) {
          options.onEvent?.('the embedded chain did not restart; retrying', { error: (e as Error).message })
          await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)))
        }
      }
    })
  }
  supervise(node)
  let silent = 0
  const probe = setInterval(async () => {
    if (stopping || !health.running) return
    try {
      await provider.send('eth_chainId', [])
      silent = 0
    } catch {
      if (++silent >= SILENT_PROBES_BEFORE_RESTART) {
        silent = 0
        health.lastExit = 'anvil stopped answering'
        options.onEvent?.('the embedded chain stopped answering; restarting it')
        // Killed without saving: every acknowledged write is already on disk.
        node.kill()
      }
    }
  }, PROBE_INTERVAL_MS)
  probe.unref()

  const stop = async () => {
    stopping = true
    clearInterval(probe)
    provider.destroy()
    await node.stop()
  }
  try {
    const registry = await ensureRegistry({
      provider,
      deployerKey: ANVIL_DEV_KEY,
      recordPath: join(stateDir, 'registry.json'),
      chainId: node.chainId,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    })
    if (registry.deployedNow) await node.save()
    const queue = createWriteQueue({ timeoutMs: WRITE_TIMEOUT_MS, persist: () => node.save() })
    return {
      embedded: true,
      rpcUrl: node.rpcUrl,
      chainId: node.chainId,
      registry: registry.address,
      provider,
      funderKey: ANVIL_DEV_KEY,
      write: (task) => queue.run(task),
      process: () => ({ ...health }),
      reachable: createProbe(node.rpcUrl),
      startNotes,
      anvilPid: () => node.pid,
      stop,
    }
  } catch (e) {
    await stop()
    throw e
  }
}
