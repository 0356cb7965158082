#!/usr/bin/env node
// A throwaway PostgreSQL server for the tests: finds (or, as root on Debian, installs) the server
// binaries, creates a cluster in a temp folder, serves it on a free 127.0.0.1 port, and removes it
// all again on stop, on exit, on SIGINT/SIGTERM and (through a small watchdog) when this process is
// killed. With CLAVIS_TEST_POSTGRES_URL set, that server is used and nothing is started.
// Uses only Node built-ins, like ensure.mjs.
//
//   node scripts/postgres.mjs    starts a server, prints its admin URL, stops it on Ctrl-C
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SELF = fileURLToPath(import.meta.url)
const say = (m) => process.stderr.write(`[postgres] ${m}\n`)
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0
const SERVER_BINARIES = ['initdb', 'pg_ctl', 'postgres']

/** The folder holding initdb, pg_ctl and postgres: Debian's newest /usr/lib/postgresql/N/bin, else PATH. */
function findBinDir() {
  const debian = '/usr/lib/postgresql'
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => join(debian, v, 'bin'))
    : []
  const path = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
  return [...versions, ...path].find((dir) => SERVER_BINARIES.every((b) => existsSync(join(dir, b))))
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`)
}

/**
 * Makes sure PostgreSQL's server binaries exist and returns their folder; installs Debian's
 * `postgresql` package when root with apt-get. Returns undefined when CLAVIS_TEST_POSTGRES_URL
 * names a server to use instead.
 */
export function ensurePostgres() {
  if (process.env.CLAVIS_TEST_POSTGRES_URL) return undefined
  const found = findBinDir()
  if (found) return found
  if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl, postgres) not found. Install them ' +
        '(Debian: sudo apt-get install -y postgresql) or set CLAVIS_TEST_POSTGRES_URL to an admin ' +
        'postgres:// URL of a server the tests may create databases on.',
    )
  }
  say("installing Debian's postgresql for the PostgreSQL tests")
  // Without its default "main" cluster, so the package starts no system server on port 5432: the
  // tests make their own (postgresql-common reads this folder; settings there survive upgrades).
  mkdirSync('/etc/postgresql-common/createcluster.d', { recursive: true })
  writeFileSync('/etc/postgresql-common/createcluster.d/clavis-tests.conf', 'create_main_cluster = false\n')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  run('apt-get', ['update', '-qq'], { env })
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], { env })
  const installed = findBinDir()
  if (!installed) throw new Error('installed postgresql but found no initdb/pg_ctl/postgres')
  return installed
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/**
 * How to run a server binary: PostgreSQL refuses to run as root, so as root it runs as the
 * `postgres` system user (created here if the Debian package did not).
 */
function asServerUser() {
  if (!isRoot()) return { wrap: (cmd, args) => [cmd, args], uid: undefined, gid: undefined }
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim())
  if (spawnSync('id', ['postgres'], { stdio: 'ignore' }).status !== 0) {
    run('useradd', ['--system', '--no-create-home', '--shell', '/bin/false', 'postgres'])
  }
  // Both forms take further arguments at the end (the watchdog appends pg_ctl's).
  const wrap =
    existsSync('/usr/sbin/runuser') || existsSync('/sbin/runuser')
      ? (cmd, args) => ['runuser', ['-u', 'postgres', '--', cmd, ...args]]
      : (cmd, args) => ['su', ['-s', '/bin/sh', '-c', 'exec "$0" "$@"', 'postgres', cmd, ...args]]
  return { wrap, uid: id('-u'), gid: id('-g') }
}

/**
 * Starts a throwaway PostgreSQL cluster (trust auth, UTF8, no fsync) on a free port of 127.0.0.1,
 * its data and unix socket in a temp folder. `stop()` (idempotent; also run on exit, SIGINT and
 * SIGTERM) stops it with `pg_ctl stop -m immediate` and removes the folder.
 *
 * @example
 * const pg = await startPostgres()   // { url: 'postgres://postgres@127.0.0.1:41234/postgres', stop }
 * try { ... } finally { pg.stop() }
 */
export async function startPostgres() {
  const external = process.env.CLAVIS_TEST_POSTGRES_URL
  if (external) return { url: external, stop() {} }
  const bin = ensurePostgres()
  const started = Date.now()
  const user = asServerUser()
  const dir = mkdtempSync(join(tmpdir(), 'clavis-pg-'))
  const data = join(dir, 'data')
  const log = join(dir, 'server.log')
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid)
  // cwd: the server user may not be allowed into ours.
  const server = (name, args) => {
    const [cmd, argv] = user.wrap(join(bin, name), args)
    const r = spawnSync(cmd, argv, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}` }
  }

  let stopped = false
  const stop = () => {
    if (stopped) return
    stopped = true
    if (existsSync(join(data, 'postmaster.pid')))
      server('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w'])
    rmSync(dir, { recursive: true, force: true })
    process.off('exit', stop)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  const onSignal = (signal) => {
    stop()
    process.exit(signal === 'SIGINT' ? 130 : 143)
  }
  process.on('exit', stop)
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  try {
    const initArgs = ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']
    const init = server('initdb', initArgs)
    if (!init.ok) throw new Error(`initdb failed:\n${init.output}`)
    const port = await freePort()
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        '# clavis test server: throwaway, so durability is off',
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        `unix_socket_directories = '${dir.replaceAll("'", "''")}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 200',
        '',
      ].join('\n'),
    )
    const start = server('pg_ctl', ['start', '-D', data, '-l', log, '-w', '-t', '60'])
    if (!start.ok) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-20).join('\n') : ''
      throw new Error(`pg_ctl start failed:\n${start.output}\n${tail}`)
    }
    // The watchdog stops the server if this process dies without running its exit handlers (SIGKILL).
    const pgCtl = user.wrap(join(bin, 'pg_ctl'), []).flat()
    const watch = [SELF, '--watchdog', String(process.pid), dir, ...pgCtl]
    spawn(process.execPath, watch, { detached: true, stdio: 'ignore' }).unref()
    say(`started on 127.0.0.1:${port} in ${Date.now() - started} ms (${bin})`)
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop }
  } catch (e) {
    stop()
    throw e
  }
}

/** Watchdog: polls the parent; when it is gone and the cluster still exists, stops it and removes the folder. */
function watchdog([parentPid, dir, pgCtl, ...wrapArgs]) {
  const alive = () => {
    try {
      process.kill(Number(parentPid), 0)
      return true
    } catch {
      return false
    }
  }
  const timer = setInterval(() => {
    if (!existsSync(dir)) return clearInterval(timer)
    if (alive()) return
    clearInterval(timer)
    const stopArgs = [...wrapArgs, 'stop', '-D', join(dir, 'data'), '-m', 'immediate', '-w']
    spawnSync(pgCtl, stopArgs, { cwd: dir, stdio: 'ignore' })
    rmSync(dir, { recursive: true, force: true })
  }, 1000)
}

if (process.argv[1] === SELF) {
  if (process.argv[2] === '--watchdog') watchdog(process.argv.slice(3))
  else {
    try {
      const pg = await startPostgres()
      process.stdout.write(`${pg.url}\n`)
      say('running; Ctrl-C stops it')
      setInterval(() => {}, 1 << 30)
    } catch (e) {
      say(e.message)
      process.exit(1)
    }
  }
}
