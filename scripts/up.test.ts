/**
 * `npm start` (scripts/up.mjs) end to end: the whole system on a fresh data folder and free ports;
 * a second start on the same data folder, or on the same ports, refuses with a message and changes
 * nothing, and the first keeps answering; Ctrl-C/SIGTERM stops it gracefully.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')
const up = join(root, 'scripts', 'up.mjs')

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  await once(server, 'close')
  if (typeof address !== 'object' || address === null) throw new Error('no free port')
  return address.port
}

/** The environment without the caller's CLAVIS_* settings, plus these. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CLAVIS_')))
  return { ...clean, ...extra }
}

interface Started {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

function start(extra: Record<string, string>): Started {
  const child = spawn(process.execPath, [up], {
    cwd: root,
    env: env(extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString()
  })
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, output: () => output, exited }
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(5000) })).ok
  } catch {
    return false
  }
}

/** What a second start must not touch: the builds and the served copy (stamps and entry files). */
function buildState(dataDir: string): string[] {
  return [
    join(dataDir, 'web-build', '.source-hash'),
    join(dataDir, 'web-build', 'index.js'),
    join(root, 'web', 'build', '.source-hash'),
    join(root, 'web', 'build', 'index.js'),
    join(root, 'agent', 'dist', 'server', '.source-hash'),
    join(root, 'agent', 'dist', 'server', 'main.mjs'),
  ].map((f) => {
    const s = statSync(f)
    return `${f} ${s.ino} ${s.mtimeMs}`
  })
}

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clavis-up-test-'))
  const otherDataDir = join(dataDir, 'other') // never created: a refused start creates nothing
  let agentPort: number
  let webPort: number
  let first: Started
  let agentHealth: string
  let webHealth: string

  beforeAll(async () => {
    agentPort = await freePort()
    webPort = await freePort()
    agentHealth = `http://127.0.0.1:${agentPort}/v1/health`
    webHealth = `http://127.0.0.1:${webPort}/healthz`
    first = start({
      CLAVIS_DATA_DIR: dataDir,
      CLAVIS_AGENT_PORT: String(agentPort),
      CLAVIS_WEB_PORT: String(webPort),
    })
    // A first start may install and build: allow for a slow machine.
    const deadline = Date.now() + 280_000
    while (!first.output().includes('Clavis is running')) {
      if (first.child.exitCode !== null) throw new Error(`npm start exited early:\n${first.output()}`)
      if (Date.now() > deadline) throw new Error(`npm start did not get ready:\n${first.output()}`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }, 300_000)

  afterAll(async () => {
    if (first?.child.exitCode === null) {
      first.child.kill('SIGKILL')
      await first.exited
    }
    rmSync(dataDir, { recursive: true, force: true })
  }, 60_000)

  it('starts quietly: no build output, no pnpm prompts, and both parts answer', async () => {
    expect(first.output()).not.toMatch(/PLUGIN_TIMINGS|approve-builds|ENOTFOUND|gyp info/)
    expect(await answers(agentHealth)).toBe(true)
    expect(await answers(webHealth)).toBe(true)
    // The web app runs from its own copy in the data folder, so a rebuild of web/build cannot
    // break it; its pages render (and so find their code) from there.
    expect(existsSync(join(dataDir, 'web-build', 'index.js'))).toBe(true)
    expect(await answers(`http://127.0.0.1:${webPort}/`)).toBe(true)
  })

  it('a second start on the same data folder says what runs, exits 1 and changes nothing', async () => {
    const before = buildState(dataDir)
    const second = start({
      CLAVIS_DATA_DIR: dataDir,
      CLAVIS_AGENT_PORT: String(agentPort),
      CLAVIS_WEB_PORT: String(webPort),
    })
    expect(await second.exited).toBe(1)
    const out = second.output()
    expect(out).toContain(`Clavis is already running on the data folder ${dataDir}`)
    expect(out).toContain(`started by \`npm start\` (process ${first.child.pid})`)
    expect(out).toContain(`http://127.0.0.1:${webPort}`)
    expect(out).toContain(`kill ${first.child.pid}`)
    expect(out).not.toMatch(/installing|building|starting the embedded chain/)
    expect(buildState(dataDir)).toEqual(before)
    expect(await answers(agentHealth)).toBe(true)
    expect(await answers(webHealth)).toBe(true)
  }, 30_000)

  it('a start on another data folder but the same ports names the running Clavis and changes nothing', async () => {
    const before = buildState(dataDir)
    const second = start({
      CLAVIS_DATA_DIR: otherDataDir,
      CLAVIS_AGENT_PORT: String(agentPort),
      CLAVIS_WEB_PORT: String(webPort),
    })
    expect(await second.exited).toBe(1)
    const out = second.output()
    expect(out).toContain(`Port ${agentPort} on 127.0.0.1 (the agent, CLAVIS_AGENT_PORT) is already in use`)
    expect(out).toContain(`Port ${webPort} on 127.0.0.1 (the web app, CLAVIS_WEB_PORT) is already in use`)
    if (process.platform === 'linux')
      expect(out).toContain(`started by \`npm start\` process ${first.child.pid}`)
    expect(out).not.toMatch(/installing|building|starting the embedded chain/)
    expect(existsSync(otherDataDir)).toBe(false)
    expect(buildState(dataDir)).toEqual(before)
    expect(await answers(agentHealth)).toBe(true)
    expect(await answers(webHealth)).toBe(true)
  }, 30_000)

  it('stops gracefully on SIGTERM: exit 0, the chain saved, the locks and ports released', async () => {
    first.child.kill('SIGTERM')
    expect(await first.exited).toBe(0)
    expect(first.output()).toContain('stopping (finishing requests, saving the chain)')
    expect(existsSync(join(dataDir, 'up.lock'))).toBe(false)
    expect(existsSync(join(dataDir, 'agent.lock'))).toBe(false)
    expect(await answers(agentHealth)).toBe(false)
    expect(await answers(webHealth)).toBe(false)
  }, 60_000)
})
