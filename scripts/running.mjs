// What is already running: the data folder's locks (`up.lock` of `npm start`, `agent.lock` of the
// agent), who listens on a port, and which processes are parts of a Clavis. `npm start` asks all
// of this before it changes anything, so a second start leaves a running copy alone.
// Node built-ins only: scripts/up.mjs imports it before the install. Process details come from
// /proc (Linux); elsewhere the messages name less but the checks still hold.
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

/** Something already runs where this start would run; `message` says what and what to do. */
export class AlreadyRunningError extends Error {
  name = 'AlreadyRunningError'
}

/** Whether a process with this id exists. */
export function alive(pid) {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return e.code === 'EPERM'
  }
}

const readProc = (pid, file) => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8')
  } catch {
    return undefined
  }
}

/** A process's command line ('' when it cannot be read). */
export const commandLine = (pid) => (readProc(pid, 'cmdline') ?? '').replaceAll('\0', ' ').trim()

/** A process's parent, or undefined. */
export function parentOf(pid) {
  const stat = readProc(pid, 'stat')
  const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : Number.NaN
  return Number.isSafeInteger(ppid) && ppid > 0 ? ppid : undefined
}

/** One variable of a process's environment (readable for our own user's processes). */
function environmentOf(pid, name) {
  const env = readProc(pid, 'environ')
  const entry = env?.split('\0').find((e) => e.startsWith(`${name}=`))
  return entry?.slice(name.length + 1)
}

/** Which part of a Clavis a command line is, if any. */
export function clavisPart(cmdline) {
  if (/scripts[\\/]up\.mjs\b/.test(cmdline)) return 'npm start'
  if (/agent[\\/](dist[\\/]server[\\/]main\.mjs|src[\\/]main\.ts)\b/.test(cmdline)) return 'agent'
  if (/web[\\/]build[\\/]index\.js\b|web-build[\\/]index\.js\b/.test(cmdline)) return 'web'
  return undefined
}

/** Whether something listens on host:port (binding it fails). */
export function portInUse(host, port) {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', (e) => resolve(e.code === 'EADDRINUSE' || e.code === 'EACCES'))
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)))
  })
}

/** The process listening on a TCP port (Linux; same user or root), or undefined. */
export function portOwner(port) {
  const inodes = new Set()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text
    try {
      text = readFileSync(table, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      if (f.length < 10 || f[3] !== '0A') continue // 0A: LISTEN
      if (Number.parseInt(f[1].split(':')[1], 16) === port) inodes.add(`socket:[${f[9]}]`)
    }
  }
  if (inodes.size === 0) return undefined
  let pids
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
  } catch {
    return undefined
  }
  for (const pid of pids) {
    let fds
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      try {
        if (inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return Number(pid)
      } catch {}
    }
  }
  return undefined
}

/** This boot of the machine (Linux), or undefined: a lock from before a restart names no live process. */
const bootId = (() => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  } catch {
    return undefined
  }
})()
const thisBoot = (held) => !held.bootId || !bootId || held.bootId === bootId

const readJson = (path) => {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return undefined
  }
}

/** The live `npm start` holding a data folder, or undefined (a lock left by a dead one is ignored). */
function liveUpLock(dataDir) {
  const held = readJson(join(dataDir, 'up.lock'))
  if (!held || held.pid === process.pid || !thisBoot(held) || !alive(held.pid)) return undefined
  // A reused pid (after a reboot) is not a Clavis: /proc tells, where there is one.
  const cmd = commandLine(held.pid)
  if (cmd && clavisPart(cmd) !== 'npm start') return undefined
  return held
}

/** The live agent holding a data folder (agent/src/util/data-lock.ts), or undefined. */
function liveAgentLock(dataDir) {
  const held = readJson(join(dataDir, 'agent.lock'))
  if (!held || held.pid === process.pid || !thisBoot(held) || !alive(held.pid)) return undefined
  return held
}

const SEPARATE_COPY = (ports) =>
  `To run a second, separate copy, give it its own data folder and free ports, e.g.\n  CLAVIS_DATA_DIR=.clavis-2 CLAVIS_AGENT_PORT=${ports.agent} CLAVIS_WEB_PORT=${ports.web} npm start`

function describeRunning(dataDir, up, agent) {
  const lines = [`Clavis is already running on the data folder ${dataDir}:`]
  if (up) {
    lines.push(`  web    ${up.webUrl}`)
    lines.push(`  agent  ${up.agentUrl}${agent ? `   (agent process ${agent.pid})` : ''}`)
    lines.push(
      `  started by \`npm start\` (process ${up.pid}) at ${up.startedAt}${up.root ? ` in ${up.root}` : ''}`,
    )
  } else {
    const cmd = commandLine(agent.pid)
    lines.push(
      `  an agent, process ${agent.pid}, started ${agent.startedAt ?? 'earlier'}${cmd ? `: ${cmd}` : ''}`,
    )
  }
  const stopPid = up?.pid ?? agent.pid
  lines.push(
    'Nothing was started or changed; the running copy keeps running.',
    `To stop it: Ctrl-C in the terminal where it runs, or \`kill ${stopPid}\` (it stops gracefully and saves the chain).`,
  )
  return lines
}

/**
 * Throws an AlreadyRunningError describing the `npm start` or the agent that runs on this data
 * folder, if any. Reads only.
 */
export function checkDataFolder(dataDir, freePorts) {
  const up = liveUpLock(dataDir)
  const agent = liveAgentLock(dataDir)
  if (up || agent)
    throw new AlreadyRunningError(
      [...describeRunning(dataDir, up, agent), SEPARATE_COPY(freePorts)].join('\n'),
    )
}

/**
 * Takes the data folder for this `npm start` (`up.lock`: pid, URLs, start time), or throws an
 * AlreadyRunningError describing the `npm start` or agent that holds it (one that started a moment
 * ago). `release` removes the lock.
 *
 * @example
 * const lock = claimDataFolder(dataDir, { agentUrl, webUrl, root }, { agent: 8788, web: 3001 })
 */
export function claimDataFolder(dataDir, info, freePorts) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const path = join(dataDir, 'up.lock')
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd
    try {
      fd = openSync(path, 'wx', 0o600)
    } catch (e) {
      if (e.code !== 'EEXIST') throw e
      const up = liveUpLock(dataDir)
      if (up) {
        throw new AlreadyRunningError(
          [...describeRunning(dataDir, up, liveAgentLock(dataDir)), SEPARATE_COPY(freePorts)].join('\n'),
        )
      }
      rmSync(path, { force: true }) // left by an `npm start` that was killed
      continue
    }
    writeSync(fd, JSON.stringify({ pid: process.pid, bootId, startedAt: new Date().toISOString(), ...info }))
    closeSync(fd)
    const agent = liveAgentLock(dataDir)
    if (agent) {
      rmSync(path, { force: true })
      throw new AlreadyRunningError(
        [...describeRunning(dataDir, undefined, agent), SEPARATE_COPY(freePorts)].join('\n'),
      )
    }
    return {
      release() {
        if (readJson(path)?.pid === process.pid) rmSync(path, { force: true })
      },
    }
  }
  throw new Error(`could not take ${path}`)
}

/** What holds a port, as words: a process, and which Clavis it belongs to. */
function describeOwner(pid) {
  if (!pid) return 'another program'
  const cmd = commandLine(pid)
  const part = clavisPart(cmd)
  if (!part) return `process ${pid}${cmd ? ` (${cmd})` : ''}`
  const parent = parentOf(pid)
  const up =
    part === 'npm start'
      ? pid
      : parent && clavisPart(commandLine(parent)) === 'npm start'
        ? parent
        : undefined
  const dataDir = environmentOf(pid, 'CLAVIS_DATA_DIR')
  return [
    `the ${part === 'npm start' ? '`npm start`' : `${part === 'web' ? 'web app' : part} of a running Clavis`} (process ${pid}`,
    up && up !== pid ? `, started by \`npm start\` process ${up}` : '',
    dataDir ? `, data folder ${dataDir}` : '',
    ')',
    up ? `; stop it with Ctrl-C in its terminal or \`kill ${up}\`` : `; stop it with \`kill ${pid}\``,
  ].join('')
}

/**
 * Throws an AlreadyRunningError when a port this start needs is taken, naming the process that
 * has it.
 *
 * @example
 * await checkPorts([{ host: '127.0.0.1', port: 8787, name: 'CLAVIS_AGENT_PORT', what: 'the agent' }], free)
 */
export async function checkPorts(ports, freePorts) {
  const lines = []
  for (const { host, port, name, what } of ports) {
    if (!(await portInUse(host, port))) continue
    lines.push(
      `Port ${port} on ${host} (${what}, ${name}) is already in use by ${describeOwner(portOwner(port))}.`,
    )
  }
  if (lines.length === 0) return
  lines.push(
    'Nothing was started or changed.',
    `Stop it, or choose free ports, e.g.\n  CLAVIS_AGENT_PORT=${freePorts.agent} CLAVIS_WEB_PORT=${freePorts.web} npm start`,
  )
  throw new AlreadyRunningError(lines.join('\n'))
}

/** The first free ports after the ones asked for (for the suggestions in the messages). */
export async function suggestPorts(host, agentPort, webPort) {
  const next = async (from, avoid) => {
    for (let p = from + 1; p < Math.min(from + 100, 65536); p++)
      if (p !== avoid && !(await portInUse(host, p))) return p
    return from + 1
  }
  const agent = await next(agentPort, webPort)
  return { agent, web: await next(webPort, agent) }
}
