#!/usr/bin/env node
// `pnpm start` / `npm start`: runs the whole system on the embedded default (anvil chain, agent,
// web) until Ctrl-C. Before anything else it makes sure no Clavis already runs on the data folder or
// the ports (and then changes nothing); it installs what is missing and rebuilds the agent and the
// web app only when their sources changed, printing one line per step (a step's output only when
// it fails).
import { spawn } from 'node:child_process'
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { AGENT_BUNDLE_DIR } from './build-agent.mjs'
import {
  dependenciesInstalled,
  ensureDependencies,
  ensurePnpm,
  ROOT,
  runStepAsync,
  SetupError,
} from './ensure.mjs'
import { agentInputs, fingerprint, readStamp, webInputs, writeStamp } from './fingerprint.mjs'
import {
  AlreadyRunningError,
  checkDataFolder,
  checkPorts,
  claimDataFolder,
  suggestPorts,
} from './running.mjs'

const startedAt = Date.now()
const say = (m) => process.stderr.write(`[clavis] ${m}\n`)
const host = '127.0.0.1'
const agentHost = process.env.CLAVIS_AGENT_HOST ?? host
const dataDir = resolve(ROOT, process.env.CLAVIS_DATA_DIR ?? '.clavis')
const shownDataDir = relative(process.cwd(), dataDir).startsWith('..')
  ? dataDir
  : relative(process.cwd(), dataDir) || '.'

function portOf(name, fallback) {
  const value = process.env[name] ?? fallback
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    say(`${name} must be a port number (1-65535), not "${value}"`)
    process.exit(2)
  }
  return Number(value)
}
const agentPort = portOf('CLAVIS_AGENT_PORT', '8787')
const webPort = portOf('CLAVIS_WEB_PORT', '3000')
const agentUrl = `http://${agentHost}:${agentPort}`
const webUrl = `http://${host}:${webPort}`

async function waitFor(url, child, what, ms) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}); see the messages above`)
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) })
      if (res.ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`${what} did not answer at ${url} within ${ms / 1000} s`)
}

/** The running parts (agent, web) and the build steps in progress. */
const children = []
let stopping = false
let lock
process.on('exit', () => lock?.release())
/** Stops the web app, then the agent (which saves the chain), each gracefully; kills after 40 s. */
function stopAll(code) {
  if (stopping) return
  stopping = true
  for (const c of [...children].reverse()) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM')
  setTimeout(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
    process.exit(code || 1)
  }, 40_000).unref()
  void Promise.all(
    children.map((c) =>
      c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r)),
    ),
  ).then(() => process.exit(code))
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(0))
// `npm start` killed on its own (npm does not pass SIGTERM on): stop with it.
const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent) stopAll(0)
}, 500).unref()
/** Node flags that make a child stop when this process goes away, however it ends. */
const exitWithParent = ['--import', join(ROOT, 'scripts', 'exit-with-parent.mjs')]

/** Refuses (exit 1, nothing changed) when a Clavis already runs on this data folder or these ports. */
async function checkNothingRuns() {
  const free = await suggestPorts(host, agentPort, webPort)
  checkDataFolder(dataDir, free)
  await checkPorts(
    [
      { host: agentHost, port: agentPort, name: 'CLAVIS_AGENT_PORT', what: 'the agent' },
      { host, port: webPort, name: 'CLAVIS_WEB_PORT', what: 'the web app' },
    ],
    free,
  )
  lock = claimDataFolder(dataDir, { agentUrl, webUrl, root: ROOT }, free)
}

/** Rebuilds the agent bundle and the web app, side by side, where their sources changed. */
async function buildWhatChanged() {
  const webDir = join(ROOT, 'web')
  const webBuild = join(webDir, 'build')
  const agentHash = fingerprint(ROOT, agentInputs(ROOT))
  const webHash = fingerprint(ROOT, webInputs(ROOT))
  const agentStale = readStamp(AGENT_BUNDLE_DIR) !== agentHash
  const webStale = readStamp(webBuild) !== webHash
  const options = { onChild: (c) => children.push(c), cancelled: () => stopping }
  const steps = []
  if (agentStale) {
    steps.push(
      runStepAsync('building the agent', process.execPath, [join(ROOT, 'scripts', 'build-agent.mjs')], {
        ...options,
        hint: 'The agent does not build: fix the errors above, then run npm start again.',
      }),
    )
  }
  if (webStale) {
    steps.push(
      runStepAsync(
        'building the web app (about 20 s)',
        process.execPath,
        [join(webDir, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'],
        {
          ...options,
          cwd: webDir,
          hint: 'The web app does not build: fix the errors above, then run npm start again.',
        },
      ).then(() => writeStamp(webBuild, webHash)),
    )
  }
  const results = await Promise.allSettled(steps)
  children.length = 0
  const failure = results.find((r) => r.status === 'rejected')
  if (failure) throw failure.reason
}

/**
 * The web app this start serves: its own copy of web/build in the data folder (one Clavis per data
 * folder), refreshed when web/build changed. Rebuilding web/build — a later `npm start` after an
 * edit, the web app's tests — then never pulls files from under a running web server.
 */
function servedWebApp() {
  const build = join(ROOT, 'web', 'build')
  const served = join(dataDir, 'web-build')
  const stamp = readStamp(build)
  if (stamp && existsSync(join(served, 'index.js')) && readStamp(served) === stamp) return served
  const tmp = `${served}.${process.pid}.tmp`
  rmSync(tmp, { recursive: true, force: true })
  cpSync(build, tmp, { recursive: true })
  rmSync(served, { recursive: true, force: true })
  renameSync(tmp, served)
  return served
}

/** Starts the agent and the web app side by side; resolves when both answer. */
async function startSystem() {
  const env = { ...process.env, CLAVIS_DATA_DIR: dataDir }
  // Plain Node runs the agent's bundle (not a wrapper process that would kill it early on Ctrl-C),
  // so the agent's own graceful stop runs.
  const agent = spawn(process.execPath, [join(AGENT_BUNDLE_DIR, 'main.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...env,
      CLAVIS_AGENT_PORT: String(agentPort),
      CLAVIS_AGENT_HOST: agentHost,
      CLAVIS_EXIT_WITH_PARENT: '1',
    },
  })
  children.push(agent)
  agent.on('exit', (code, signal) => {
    if (stopping) return
    say(`the agent stopped (${code ?? signal})`)
    stopAll(code || 1)
  })
  // The web app needs the agent only to answer requests, so it starts at the same time.
  const web = spawn(process.execPath, [...exitWithParent, join(servedWebApp(), 'index.js')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...env,
      HOST: host,
      PORT: String(webPort),
      ORIGIN: webUrl,
      CLAVIS_AGENT_URL: `http://${host}:${agentPort}`,
    },
  })
  children.push(web)
  // Its "Listening on …" repeats the summary below; anything else it prints is passed on.
  createInterface({ input: web.stdout }).on('line', (line) => {
    if (!line.startsWith('Listening on ')) process.stdout.write(`${line}\n`)
  })
  web.on('exit', (code, signal) => {
    if (stopping) return
    say(`the web app stopped (${code ?? signal})`)
    stopAll(code || 1)
  })
  await Promise.all([
    waitFor(`http://${host}:${agentPort}/v1/health`, agent, 'the agent', 120_000),
    waitFor(`${webUrl}/healthz`, web, 'the web app', 60_000),
  ])
}

try {
  await checkNothingRuns()
  if (!dependenciesInstalled()) ensureDependencies(ensurePnpm())
  await buildWhatChanged()
  if (stopping) await new Promise(() => {}) // stopped during the set-up: stopAll exits
  await startSystem()
  const adminToken = join(dataDir, 'admin-token')
  const shownToken = isAbsolute(shownDataDir) ? adminToken : join(shownDataDir, 'admin-token')
  process.stdout.write(
    [
      '',
      `Clavis is running (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s):`,
      `  web    ${webUrl}   (wallet: /wallet, board console: /board, hospital desk: /desk)`,
      `  agent  ${agentUrl}   (API: /v1/openapi.json)`,
      `  data   ${shownDataDir}`,
      '  sign in: staff send their organisation token as "Authorization: Bearer <token>"; tokens are printed',
      `  above on first start (the demo's are also in ${shownDataDir}/demo-*.token). Operator: ${shownToken}.`,
      `  CLI, in another terminal: export CLAVIS_TOKEN=$(cat ${shownDataDir}/demo-board.token); ./clavis --help`,
      '  New token for an organisation: ./clavis org token <id>.  Stop: Ctrl-C (chain state is saved).',
      '',
    ].join('\n'),
  )
} catch (e) {
  if (e instanceof AlreadyRunningError) {
    lock?.release()
    for (const line of e.message.split('\n')) say(line)
    process.exit(1)
  }
  if (!stopping) say(e instanceof SetupError ? e.message : `could not start: ${e.message}`)
  stopAll(1)
}
