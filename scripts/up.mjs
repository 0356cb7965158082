#!/usr/bin/env node
// `pnpm start` / `npm start`: installs what is missing, builds the web app, then runs the whole
// system on the embedded default (anvil chain, agent, web) until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { ensureDependencies, ensurePnpm, ROOT } from './ensure.mjs'

const say = (m) => process.stderr.write(`[clavis] ${m}\n`)
const agentPort = process.env.CLAVIS_AGENT_PORT ?? '8787'
const webPort = process.env.CLAVIS_WEB_PORT ?? '3000'
const host = '127.0.0.1'

async function waitFor(url, child, what, ms) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${what} exited (code ${child.exitCode}); see the messages above`)
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) })
      if (res.ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${what} did not answer at ${url} within ${ms / 1000} s`)
}

const children = []
let stopping = false
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

try {
  const pnpm = ensurePnpm()
  ensureDependencies(pnpm)
  say('building the web app')
  const build = spawnSync(pnpm, ['--filter', '@clavis/web', 'run', 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (build.status !== 0) throw new Error('the web build failed; see the messages above')
  // Node itself runs the agent (tsx as a loader, not as a wrapper process that would kill it
  // early on Ctrl-C), so the agent's own graceful stop runs.
  const agent = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'agent', 'src', 'main.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      CLAVIS_AGENT_PORT: agentPort,
      CLAVIS_AGENT_HOST: process.env.CLAVIS_AGENT_HOST ?? host,
      CLAVIS_EXIT_WITH_PARENT: '1',
    },
  })
  children.push(agent)
  agent.on('exit', (code) => {
    if (stopping) return
    say(`agent stopped (code ${code})`)
    stopAll(code ?? 1)
  })
  await waitFor(`http://${host}:${agentPort}/v1/health`, agent, 'the agent', 120_000)
  const web = spawn(process.execPath, [...exitWithParent, join(ROOT, 'web', 'build', 'index.js')], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      HOST: host,
      PORT: webPort,
      ORIGIN: `http://${host}:${webPort}`,
      CLAVIS_AGENT_URL: `http://${host}:${agentPort}`,
    },
  })
  children.push(web)
  web.on('exit', (code) => {
    if (stopping) return
    say(`web stopped (code ${code})`)
    stopAll(code ?? 1)
  })
  await waitFor(`http://${host}:${webPort}/healthz`, web, 'the web app', 60_000)
  process.stdout.write(
    [
      '',
      'Clavis is running:',
      `  web    http://${host}:${webPort}   (system state)`,
      `  agent  http://${host}:${agentPort}   (API: /v1/openapi.json)`,
      '  sign in: staff send their organisation token as "Authorization: Bearer <token>" (or CLAVIS_TOKEN for',
      '  `pnpm clavis`); tokens are printed above on first start. Operator: .clavis/admin-token.',
      '  New token for an organisation: pnpm clavis org token <id>.  Stop: Ctrl-C (chain state is saved).',
      '',
    ].join('\n'),
  )
} catch (e) {
  say(e.message)
  stopAll(1)
}
