import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { ContractFactory, type JsonRpcProvider, Wallet } from 'ethers'

interface RegistryArtifact {
  abi: unknown[]
  bytecode: string
}

/** The ERC-1056 `EthereumDIDRegistry` artifact shipped by the `ethr-did-registry` package. */
export function registryArtifact(): RegistryArtifact {
  // The package exports only dist/index.js (a CommonJS module whose EthereumDIDRegistry is the artifact).
  const require = createRequire(import.meta.url)
  const mod = require('ethr-did-registry') as { EthereumDIDRegistry: RegistryArtifact }
  return mod.EthereumDIDRegistry
}

/** What the agent remembers about the registry it deployed. */
export interface RegistryRecord {
  chainId: number
  address: `0x${string}`
  deployedAtBlock: number
  deployedAt: string
}

/** Whether contract code lives at an address. */
export async function hasCode(provider: JsonRpcProvider, address: string): Promise<boolean> {
  const code = await provider.getCode(address)
  return code !== '0x' && code !== '0x0'
}

/**
 * Returns the registry recorded in `recordPath`, deploying it first when the record is missing
 * or the chain has no code at the recorded address.
 *
 * @example
 * const registry = await ensureRegistry({ provider, deployerKey, recordPath: '.clavis/chain/registry.json' })
 */
export async function ensureRegistry(options: {
  provider: JsonRpcProvider
  deployerKey: string
  recordPath: string
  chainId: number
  onProgress?: (message: string) => void
}): Promise<RegistryRecord & { deployedNow: boolean }> {
  const { provider, recordPath } = options
  if (existsSync(recordPath)) {
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as RegistryRecord
    if (record.chainId === options.chainId && (await hasCode(provider, record.address))) {
      return { ...record, deployedNow: false }
    }
    options.onProgress?.(
      `registry record at ${recordPath} does not match the chain; deploying a new registry`,
    )
  }
  options.onProgress?.('deploying the ERC-1056 EthereumDIDRegistry')
  const artifact = registryArtifact()
  const deployer = new Wallet(options.deployerKey, provider)
  const factory = new ContractFactory(artifact.abi as never, artifact.bytecode, deployer)
  const contract = await factory.deploy()
  const receipt = await contract.deploymentTransaction()?.wait()
  const address = (await contract.getAddress()) as `0x${string}`
  const record: RegistryRecord = {
    chainId: options.chainId,
    address,
    deployedAtBlock: receipt?.blockNumber ?? 0,
    deployedAt: new Date().toISOString(),
  }
  mkdirSync(dirname(recordPath), { recursive: true })
  writeFileSync(recordPath, `${JSON.stringify(record, null, 2)}\n`)
  return { ...record, deployedNow: true }
}
