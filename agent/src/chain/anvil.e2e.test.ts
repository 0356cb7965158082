import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { anvilBinaryPath, startAnvil } from './anvil'
import { createProvider } from './provider'
import { ensureRegistry } from './registry'

const DEV_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'

describe('embedded chain', () => {
  it('finds the anvil binary shipped in the npm package', () => {
    expect(existsSync(anvilBinaryPath())).toBe(true)
  })

  it('deploys the registry once and finds it again after a restart', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'clavis-anvil-'))
    const recordPath = join(stateDir, 'registry.json')
    let node = await startAnvil({ stateDir })
    let provider = createProvider({ rpcUrl: node.rpcUrl, chainId: node.chainId })
    const first = await ensureRegistry({ provider, deployerKey: DEV_KEY, recordPath, chainId: 31337 })
    expect(first.deployedNow).toBe(true)
    provider.destroy()
    await node.stop()
    expect(existsSync(node.statePath)).toBe(true)

    node = await startAnvil({ stateDir })
    provider = createProvider({ rpcUrl: node.rpcUrl, chainId: node.chainId })
    try {
      const second = await ensureRegistry({ provider, deployerKey: DEV_KEY, recordPath, chainId: 31337 })
      expect(second.deployedNow).toBe(false)
      expect(second.address).toBe(first.address)
    } finally {
      provider.destroy()
      await node.stop()
    }
  })
})
