import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { anvilBinaryPath, startAnvil } from '../src/chain/anvil'
import { createProvider } from '../src/chain/provider'
import { ensureRegistry, hasCode } from '../src/chain/registry'

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
    expect(readdirSync(stateDir).filter((f) => /^state-\d+\.json$/.test(f)).length).toBeGreaterThan(0)

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

  it('a torn newest state file is skipped, named, and the one before it is loaded', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'clavis-anvil-'))
    const recordPath = join(stateDir, 'registry.json')
    let node = await startAnvil({ stateDir })
    let provider = createProvider({ rpcUrl: node.rpcUrl, chainId: node.chainId })
    const { address } = await ensureRegistry({ provider, deployerKey: DEV_KEY, recordPath, chainId: 31337 })
    await node.save()
    provider.destroy()
    await node.stop({ save: false })
    // A newer snapshot cut off half way, as a full disk or a kill mid-write would leave one.
    writeFileSync(join(stateDir, 'state-999999999999999.json'), '{"block":{"number":')
    node = await startAnvil({ stateDir })
    provider = createProvider({ rpcUrl: node.rpcUrl, chainId: node.chainId })
    try {
      expect(node.skipped).toEqual([
        { file: 'state-999999999999999.json', reason: expect.stringMatching(/not a whole JSON/) },
      ])
      expect(node.loadedFrom).toMatch(/state-\d+\.json$/)
      expect(await hasCode(provider, address)).toBe(true)
    } finally {
      provider.destroy()
      await node.stop()
    }
  })

  it('anvil does not outlive a killed agent process', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'clavis-anvil-'))
    const script = `import('${join(import.meta.dirname, '..', 'src', 'chain', 'anvil.ts')}').then(async (m) => { const n = await m.startAnvil({ stateDir: '${stateDir}' }); process.stdout.write(String(n.pid) + '\\n') })`
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const pid = Number(
      await new Promise<string>((r) => child.stdout!.once('data', (d) => r(String(d).trim()))),
    )
    expect(pid).toBeGreaterThan(0)
    expect(() => process.kill(pid, 0)).not.toThrow()
    child.kill('SIGKILL')
    const gone = async () => {
      for (let i = 0; i < 50; i++) {
        try {
          process.kill(pid, 0)
        } catch {
          return true
        }
        await new Promise((r) => setTimeout(r, 100))
      }
      return false
    }
    expect(await gone()).toBe(true)
  })
})
