/**
 * Helpers for end-to-end tests: free ports, child processes in their own process group (so a
 * stop leaves no orphans), and waiting for an HTTP endpoint.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'

/** A child process started by {@link startProcess}, with the tail of its output. */
export interface RunningProcess {
  name: string
  child: ChildProcess
  /** The last few kilobytes of stdout and stderr, interleaved. */
  output: () => string
  /** The last few kilobytes of stderr. */
  stderr: () => string
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export interface StartProcessParameters {
  name: string
  command: string
  args?: string[]
  cwd?: string
  env?: NodeJS.ProcessEnv
}

const TAIL = 8000

/** Process groups still to be ended; killed outright if this process exits before stopProcess ran. */
const liveGroups = new Set<number>()
process.once('exit', () => {
  for (const pid of liveGroups) signalGroup(pid, 'SIGKILL')
})

/**
 * A TCP port that was free a moment ago on 127.0.0.1.
 *
 * @example
 * const port = await freePort()
 */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  await once(server, 'close')
  if (typeof address !== 'object' || address === null) throw new Error('could not get a free port')
  return address.port
}

/**
 * Starts a command as the leader of a new process group (`detached`), so {@link stopProcess}
 * can end it together with everything it started.
 *
 * @example
 * const web = startProcess({ name: 'web', command: process.execPath, args: ['build/index.js'], cwd, env })
 */
export function startProcess(params: StartProcessParameters): RunningProcess {
  const child = spawn(params.command, params.args ?? [], {
    cwd: params.cwd,
    env: params.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (child.pid !== undefined) liveGroups.add(child.pid)
  let output = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-TAIL)
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-TAIL)
    stderr = (stderr + chunk.toString()).slice(-TAIL)
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
    child.once('error', (error) => {
      stderr += `\n[spawn error] ${error.message}`
      resolve({ code: -1, signal: null })
    })
  })
  return { name: params.name, child, output: () => output, stderr: () => stderr, exited }
}

/**
 * Runs a command to completion; rejects with its output if it fails or takes too long.
 *
 * @example
 * await runProcess({ name: 'vite build', command: vite, args: ['build'], cwd: webDir }, 120_000)
 */
export async function runProcess(params: StartProcessParameters, timeoutMs: number): Promise<void> {
  const proc = startProcess(params)
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
  })
  const result = await Promise.race([proc.exited, timeout])
  clearTimeout(timer)
  if (result === 'timeout') {
    await stopProcess(proc)
    throw new Error(`${params.name} took longer than ${timeoutMs / 1000} s:\n${proc.output()}`)
  }
  if (result.code !== 0) {
    throw new Error(`${params.name} failed (${result.code ?? result.signal}):\n${proc.output()}`)
  }
}

/**
 * Stops a process group: SIGTERM to the leader (which lets e.g. tsx pass it on and the agent
 * shut its chain down in order), then SIGKILL to the whole group for whatever is left after
 * the leader exits or `graceMs` passes.
 *
 * @example
 * await stopProcess(agent)
 */
export async function stopProcess(proc: RunningProcess, graceMs = 10_000): Promise<void> {
  const pid = proc.child.pid
  if (pid === undefined) return
  const stillRunning = proc.child.exitCode === null && proc.child.signalCode === null
  if (stillRunning) {
    try {
      process.kill(pid, 'SIGTERM')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
    }
    let timer: NodeJS.Timeout | undefined
    await Promise.race([proc.exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))])
    clearTimeout(timer)
  }
  // The leader may be gone while children it started are not: end the whole group.
  signalGroup(pid, 'SIGKILL')
  liveGroups.delete(pid)
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}

export interface WaitForHttpParameters {
  url: string
  timeoutMs: number
  /** If given, stop waiting as soon as it exits, and report its output. */
  process?: RunningProcess
  /** Extra check on a 200 answer; keep polling while it returns false. */
  accept?: (body: unknown) => boolean
}

/**
 * Polls a URL until it answers 200 with JSON (that `accept` likes); returns the body.
 * On failure the error includes the last answer and the process's stderr.
 *
 * @example
 * const health = await waitForHttp({ url: `${agentUrl}/v1/health`, timeoutMs: 90_000, process: agent })
 */
export async function waitForHttp(params: WaitForHttpParameters): Promise<unknown> {
  const deadline = Date.now() + params.timeoutMs
  let last = 'no answer yet'
  let exited = false
  void params.process?.exited.then(() => {
    exited = true
  })
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(params.url, { signal: AbortSignal.timeout(3000) })
      const text = await response.text()
      last = `HTTP ${response.status}: ${text.slice(0, 500)}`
      if (response.status === 200) {
        const body: unknown = JSON.parse(text)
        if (!params.accept || params.accept(body)) return body
      }
    } catch (error) {
      last =
        error instanceof Error
          ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ''}`
          : String(error)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  const why = exited ? `${params.process?.name} exited` : `no good answer within ${params.timeoutMs / 1000} s`
  const stderr = params.process
    ? `\n--- ${params.process.name} stderr ---\n${params.process.stderr() || params.process.output()}`
    : ''
  throw new Error(`${params.url}: ${why}; last: ${last}${stderr}`)
}
