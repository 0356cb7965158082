import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { ClavisError } from '@clavis/errors'
import { type ChainStateStore, createChainStateStore, type SkippedState } from './state-store'

/** A running anvil node. */
export interface AnvilNode {
  rpcUrl: string
  chainId: number
  port: number
  /** The anvil process (for the data folder's lock file). */
  pid: number | undefined
  /** The state it was started from (undefined: a new, empty chain). */
  loadedFrom: string | undefined
  /** State files that were skipped because they were torn or not anvil states. */
  skipped: SkippedState[]
  /** Resolves when anvil exits by itself (not through `stop`). */
  exited: Promise<{ code: number | null }>
  /** Writes the chain's current state to disk durably; throws when it cannot (e.g. a full disk). */
  save(): Promise<void>
  /** Saves (unless told not to), then stops anvil. Idempotent. */
  stop(options?: { save?: boolean }): Promise<void>
  /** Kills anvil at once (it hangs): `exited` resolves, as for a crash. */
  kill(): void
}

/** anvil did not start or answer. */
export class AnvilError extends ClavisError<'chain_unavailable'> {
  override readonly name = 'AnvilError'

  constructor(message: string, options: { cause?: unknown } = {}) {
    super({ code: 'chain_unavailable', message, cause: options.cause })
  }
}

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' }
const GUARD = join(dirname(fileURLToPath(import.meta.url)), 'anvil-guard.mjs')
/** How long a state dump may take (it grows with the chain's history). */
const DUMP_TIMEOUT_MS = 30_000

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

async function rpc<T>(rpcUrl: string, method: string, timeoutMs: number): Promise<T> {
  const res = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }),
    signal: AbortSignal.timeout(timeoutMs),
  })
  const body = (await res.json()) as { result?: T; error?: { message?: string } }
  if (body.error || body.result === undefined)
    throw new Error(`${method}: ${body.error?.message ?? 'no result'}`)
  return body.result
}

async function rpcChainId(rpcUrl: string): Promise<number | undefined> {
  try {
    return Number.parseInt(await rpc<string>(rpcUrl, 'eth_chainId', 1000), 16)
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

function firstLine(child: ChildProcess, ms: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = ''
    const t = setTimeout(() => resolve(undefined), ms)
    child.stdout?.on('data', (d: Buffer) => {
      text += d.toString()
      const nl = text.indexOf('\n')
      if (nl >= 0) {
        clearTimeout(t)
        resolve(text.slice(0, nl))
      }
    })
    child.once('exit', () => resolve(undefined))
  })
}

/**
 * Starts anvil on loopback from the newest good state saved in `stateDir` (a torn or missing file
 * falls back to the one before), and waits until it answers JSON-RPC. anvil runs under a guard
 * process that stops it when this process goes away, however it goes. The chain's state is saved
 * only by `save()` (the agent calls it before it acknowledges a chain write) and at `stop()`:
 * each save is a new file, written and renamed atomically.
 *
 * @example
 * const node = await startAnvil({ stateDir: '.clavis/chain' })
 * await node.save()
 * await node.stop()
 */
export async function startAnvil(options: {
  stateDir: string
  port?: number
  chainId?: number
  timeoutMs?: number
  store?: ChainStateStore
}): Promise<AnvilNode> {
  const store = options.store ?? createChainStateStore({ dir: options.stateDir })
  const port = options.port || (await freePort())
  const chainId = options.chainId ?? 31337
  const { path: loadedFrom, skipped } = store.newest()
  const args = ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(chainId), '--silent']
  if (loadedFrom) args.push('--load-state', loadedFrom)
  // Its own process group: a Ctrl-C in the terminal reaches the agent, which stops anvil after saving.
  const guard = spawn(process.execPath, [GUARD, anvilBinaryPath(), ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  })
  let stderr = ''
  guard.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000)
  })
  const pidLine = await firstLine(guard, 5000)
  const pid = pidLine?.startsWith('pid ') ? Number(pidLine.slice(4)) : undefined
  let stopping = false
  const exited = new Promise<{ code: number | null }>((resolve) => {
    guard.once('exit', (code) => {
      if (!stopping) resolve({ code })
    })
  })
  const rpcUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  let answered = false
  while (Date.now() < deadline) {
    if (guard.exitCode !== null) break
    if ((await rpcChainId(rpcUrl)) === chainId) {
      answered = true
      break
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  if (!answered) {
    stopping = true
    guard.kill('SIGKILL')
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {}
    }
    throw new AnvilError(
      `anvil did not start on ${rpcUrl}: ${stderr.trim() || '(no output)'}${loadedFrom ? ` (state ${loadedFrom})` : ''}`,
    )
  }

  let saving: Promise<void> | undefined
  const save = async () => {
    const hex = await rpc<string>(rpcUrl, 'anvil_dumpState', DUMP_TIMEOUT_MS)
    store.save(gunzipSync(Buffer.from(hex.replace(/^0x/, ''), 'hex')).toString('utf8'))
  }
  let stopped: Promise<void> | undefined
  const node: AnvilNode = {
    rpcUrl,
    chainId,
    port,
    pid,
    loadedFrom,
    skipped,
    exited,
    save() {
      // Saves queue behind each other; each dumps the state as it is when it starts.
      const next = (saving ?? Promise.resolve()).catch(() => undefined).then(save)
      saving = next
      return next
    },
    stop(o = {}) {
      stopped ??= (async () => {
        if (o.save !== false && guard.exitCode === null) {
          try {
            await node.save()
          } catch {
            // Every acknowledged write was saved when it was acknowledged; this save is extra.
          }
        }
        stopping = true
        guard.stdin?.end()
        guard.kill('SIGTERM')
        if (!(await waitForExit(guard, 10_000))) {
          guard.kill('SIGKILL')
          if (pid) {
            try {
              process.kill(pid, 'SIGKILL')
            } catch {}
          }
          await waitForExit(guard, 2_000)
        }
      })()
      return stopped
    },
    kill() {
      guard.kill('SIGKILL')
      if (pid) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {}
      }
    },
  }
  return node
}
