import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'

/** A running anvil node. */
export interface AnvilNode {
  rpcUrl: string
  chainId: number
  statePath: string
  stop(): Promise<void>
}

/** anvil did not start or answer. */
export class AnvilError extends Error {
  override readonly name = 'AnvilError'
  readonly code = 'chain_unavailable'
}

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' }

/** Path of the anvil binary shipped inside the `@foundry-rs/anvil` npm package for this platform. */
export function anvilBinaryPath(): string {
  const require = createRequire(import.meta.url)
  const wrapperDir = dirname(require.resolve('@foundry-rs/anvil/package.json'))
  const arch = ARCH[process.arch]
  if (!arch) throw new AnvilError(`anvil is not shipped for ${process.platform}/${process.arch}`)
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`
  const fromWrapper = createRequire(join(wrapperDir, 'package.json'))
  const pkgDir = dirname(fromWrapper.resolve(`${pkg}/package.json`))
  return join(pkgDir, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil')
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolvePort(port))
    })
  })
}

async function rpcChainId(rpcUrl: string): Promise<number | undefined> {
  try {
    const res = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(1000),
    })
    const body = (await res.json()) as { result?: string }
    return body.result ? Number.parseInt(body.result, 16) : undefined
  } catch {
    return undefined
  }
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true)
  return new Promise((res) => {
    const t = setTimeout(() => res(false), ms)
    child.once('exit', () => {
      clearTimeout(t)
      res(true)
    })
  })
}

/**
 * Starts anvil on loopback with its state kept in `stateDir` (loaded at start, saved every
 * second and at stop), and waits until it answers JSON-RPC.
 *
 * @example
 * const node = await startAnvil({ stateDir: '.clavis/chain' })
 * await node.stop()
 */
export async function startAnvil(options: {
  stateDir: string
  port?: number
  chainId?: number
  timeoutMs?: number
}): Promise<AnvilNode> {
  mkdirSync(options.stateDir, { recursive: true })
  const port = options.port || (await freePort())
  const chainId = options.chainId ?? 31337
  const statePath = join(options.stateDir, 'anvil-state.json')
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--chain-id',
    String(chainId),
    '--state',
    statePath,
    '--state-interval',
    '1',
    '--silent',
  ]
  const child = spawn(anvilBinaryPath(), args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000)
  })
  const rpcUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new AnvilError(`anvil exited with code ${child.exitCode}: ${stderr.trim() || '(no output)'}`)
    }
    const id = await rpcChainId(rpcUrl)
    if (id === chainId) break
    await new Promise((r) => setTimeout(r, 100))
  }
  if ((await rpcChainId(rpcUrl)) !== chainId) {
    child.kill('SIGKILL')
    throw new AnvilError(`anvil did not answer on ${rpcUrl} in time. ${stderr.trim()}`)
  }
  let stopped: Promise<void> | undefined
  return {
    rpcUrl,
    chainId,
    statePath,
    stop() {
      stopped ??= (async () => {
        child.kill('SIGTERM')
        if (!(await waitForExit(child, 10_000))) {
          child.kill('SIGKILL')
          await waitForExit(child, 2_000)
        }
      })()
      return stopped
    },
  }
}
