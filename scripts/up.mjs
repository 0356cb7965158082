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
function stopAll(code) {
  if (stopping) return
  stopping = true
  for (const c of children.reverse()) if (c.exitCode === null) c.kill('SIGTERM')
  setTimeout(() => process.exit(code), 12_000).unref()
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(
    () => process.exit(code),
  )
}
process.on('SIGINT', () => stopAll(0))
process.on('SIGTERM', () => stopAll(0))

try {
  const pnpm = ensurePnpm()
  ensureDependencies(pnpm)
  say('building the web app')
  const build = spawnSync(pnpm, ['--filter', '@clavis/web', 'run', 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (build.status !== 0) throw new Error('the web build failed; see the messages above')
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx')
  const agent = spawn(tsx, [join(ROOT, 'agent', 'src', 'main.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      CLAVIS_AGENT_PORT: agentPort,
      CLAVIS_AGENT_HOST: process.env.CLAVIS_AGENT_HOST ?? host,
    },
  })
  children.push(agent)
  agent.on('exit', (code) => {
    if (stopping) return
    say(`agent stopped (code ${code})`)
    stopAll(code ?? 1)
  })
  await waitFor(`http://${host}:${agentPort}/v1/health`, agent, 'the agent', 120_000)
  const web = spawn(process.execPath, [join(ROOT, 'web', 'build', 'index.js')], {
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
