import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// `pnpm bench:startup [--runs N] [--json]`: wall times of starting and using the system, medians of
// N runs (default 5):
// - restart: `npm start` (scripts/up.mjs) of an already built system on an existing data folder,
//   from spawning it until the agent's /v1/health and the web app's /healthz both answer (target
//   ≤ 5 s); and its stop on SIGTERM;
// - the CLI: `node agent/bin/clavis.mjs --help` and `… health` (against that running agent), as a
//   ratio to `node -e 0` (target ≤ 5×).
// The first start (which also installs, builds and creates the demo organisations) is a warm-up
// and reported apart.

const json = process.argv.includes('--json')
const runsArg = process.argv.indexOf('--runs')
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5
const progress = (m: string) => process.stderr.write(`[bench] ${m}\n`)

const root = join(import.meta.dirname, '..', '..')
const up = join(root, 'scripts', 'up.mjs')
const cli = join(root, 'agent', 'bin', 'clavis.mjs')

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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok
  } catch {
    return false
  }
}

async function untilAnswers(
  url: string,
  child: ChildProcess,
  output: () => string,
  ms: number,
): Promise<void> {
  const deadline = performance.now() + ms
  while (!(await answers(url))) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output()}`)
    if (performance.now() > deadline)
      throw new Error(`${url} did not answer within ${ms / 1000} s:\n${output()}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

interface System {
  child: ChildProcess
  readyMs: number
  output: () => string
}

/** Starts the system; resolves when agent and web both answer, with the time that took. */
async function startSystem(
  env: NodeJS.ProcessEnv,
  agentUrl: string,
  webUrl: string,
  ms: number,
): Promise<System> {
  const t0 = performance.now()
  const child = spawn(process.execPath, [up], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString()
  })
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString()
  })
  const out = () => output
  await Promise.all([
    untilAnswers(`${agentUrl}/v1/health`, child, out, ms),
    untilAnswers(`${webUrl}/healthz`, child, out, ms),
  ])
  return { child, readyMs: performance.now() - t0, output: out }
}

/** SIGTERM, then the time until the process has exited (it saves the chain first). */
async function stopSystem(system: System): Promise<number> {
  const t0 = performance.now()
  const exited = once(system.child, 'exit')
  system.child.kill('SIGTERM')
  const [code] = await exited
  if (code !== 0) throw new Error(`npm start exited with ${code} on SIGTERM:\n${system.output()}`)
  return performance.now() - t0
}

/** Wall time of one command to its exit, in ms. */
async function wallMs(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number | null }> {
  const t0 = performance.now()
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'ignore' })
  const [code] = (await once(child, 'exit')) as [number | null]
  return { ms: performance.now() - t0, code }
}

async function medianWallMs(args: string[], env: NodeJS.ProcessEnv, runs: number): Promise<number> {
  await wallMs(args, env) // warm-up (the CLI may build itself on its first call)
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const { ms, code } = await wallMs(args, env)
    if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}`)
    times.push(ms)
  }
  return median(times)
}

interface Row {
  name: string
  medianMs: number
  ratio: number | null
  target: string | null
  met: boolean | null
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clavis-bench-startup-'))
  const agentPort = await freePort()
  const webPort = await freePort()
  const agentUrl = `http://127.0.0.1:${agentPort}`
  const webUrl = `http://127.0.0.1:${webPort}`
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CLAVIS_')))
  const env = {
    ...clean,
    CLAVIS_DATA_DIR: dataDir,
    CLAVIS_AGENT_PORT: String(agentPort),
    CLAVIS_WEB_PORT: String(webPort),
  }
  let running: System | undefined
  try {
    progress(`first start (installs and builds what is missing; data in ${dataDir})`)
    running = await startSystem(env, agentUrl, webUrl, 600_000)
    const firstMs = running.readyMs
    await stopSystem(running)
    running = undefined

    const restarts: number[] = []
    const stops: number[] = []
    let help = 0
    let health = 0
    let nodeBaseline = 0
    for (let i = 0; i < RUNS; i++) {
      progress(`restart ${i + 1}/${RUNS}`)
      running = await startSystem(env, agentUrl, webUrl, 120_000)
      restarts.push(running.readyMs)
      if (i === 0) {
        progress('the CLI (while the system runs)')
        const cliEnv = { ...env, CLAVIS_AGENT_URL: agentUrl }
        const runs = Math.max(RUNS, 7)
        nodeBaseline = await medianWallMs(['-e', '0'], cliEnv, runs)
        help = await medianWallMs([cli, '--help'], cliEnv, runs)
        health = await medianWallMs([cli, 'health'], cliEnv, runs)
      }
      stops.push(await stopSystem(running))
      running = undefined
    }

    const rows: Row[] = [
      { name: 'first start (warm-up)', medianMs: firstMs, ratio: null, target: null, met: null },
      {
        name: 'restart to healthy agent and web',
        medianMs: median(restarts),
        ratio: null,
        target: '≤ 5000 ms',
        met: median(restarts) <= 5000,
      },
      { name: 'stop on SIGTERM', medianMs: median(stops), ratio: null, target: null, met: null },
      { name: 'node -e 0', medianMs: nodeBaseline, ratio: 1, target: null, met: null },
      {
        name: 'clavis --help',
        medianMs: help,
        ratio: help / nodeBaseline,
        target: '≤ 5× node -e 0',
        met: help / nodeBaseline <= 5,
      },
      {
        name: 'clavis health',
        medianMs: health,
        ratio: health / nodeBaseline,
        target: '≤ 5× node -e 0',
        met: health / nodeBaseline <= 5,
      },
    ]
    if (json) {
      process.stdout.write(`${JSON.stringify({ runs: RUNS, rows }, null, 2)}\n`)
      return
    }
    process.stdout.write(`startup (median of ${RUNS} runs)              ms   ratio   target\n`)
    for (const r of rows) {
      const ratio = r.ratio === null ? '' : `${r.ratio.toFixed(1)}×`
      const target = r.target === null ? '' : `${r.target}  ${r.met ? 'met' : 'MISSED'}`
      process.stdout.write(
        `${r.name.padEnd(38)}${r.medianMs.toFixed(0).padStart(7)}${ratio.padStart(8)}   ${target}\n`,
      )
    }
  } finally {
    if (running && running.child.exitCode === null) await stopSystem(running).catch(() => {})
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`[bench] ${(e as Error).message}\n`)
  process.exit(1)
})
