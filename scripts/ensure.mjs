#!/usr/bin/env node
// Idempotent set-up on a machine that has only Node >= 20.19 and npm:
// pnpm at the pinned version, the workspace's dependencies, and (with --browser) Debian's chromium.
// Quiet: one line per step; a step's own output is shown only when it fails.
// Uses only Node built-ins so it runs before anything is installed.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const PNPM_VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).packageManager.split('@')[1]

const say = (m) => process.stderr.write(`[setup] ${m}\n`)

/** A set-up step failed; its output has been printed, the message says what to do next. */
export class SetupError extends Error {
  name = 'SetupError'
}

/** A step's label without its note in parentheses ("building the web app (about 20 s)"). */
const shortLabel = (label) => label.replace(/ \(.*\)$/, '')
const seconds = (ms) => (ms < 90_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 60_000).toFixed(1)} min`)

function outputFile() {
  const dir = mkdtempSync(join(tmpdir(), 'clavis-setup-'))
  return { dir, path: join(dir, 'output.log') }
}

function failed(what, exit, log, hint) {
  const output = readFileSync(log.path, 'utf8')
  const lines = output.split('\n')
  const shown = lines.length > 150 ? ['…', ...lines.slice(-150)] : lines
  process.stderr.write(`\n${shown.join('\n')}\n`)
  return new SetupError(
    `${what} failed (exit ${exit}); its output is above${lines.length > 150 ? ` (all of it in ${log.path})` : ''}.${hint ? `\n${hint}` : ''}`,
  )
}

/**
 * Runs a set-up step with its output captured: prints `label…` and then how long it took. On
 * failure prints the output and throws a SetupError carrying `hint` (what to do next).
 *
 * @example
 * runStep('installing dependencies', 'pnpm', ['install'], { hint: 'Check the network.' })
 */
export function runStep(label, cmd, args, { env, cwd = ROOT, hint, showFailure = true } = {}) {
  const log = outputFile()
  const fd = openSync(log.path, 'w')
  const started = Date.now()
  process.stderr.write(`[setup] ${label}… `)
  let r
  try {
    r = spawnSync(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', fd, fd] })
  } finally {
    closeSync(fd)
  }
  if (r.status === 0) {
    process.stderr.write(`done (${seconds(Date.now() - started)})\n`)
    rmSync(log.dir, { recursive: true, force: true })
    return
  }
  process.stderr.write(r.signal ? 'stopped\n' : 'failed\n')
  if (!showFailure || r.signal === 'SIGINT' || r.signal === 'SIGTERM') {
    rmSync(log.dir, { recursive: true, force: true })
    throw new SetupError(`${label} failed`)
  }
  throw failed(`${cmd} ${args.join(' ')}`, r.error?.message ?? r.status ?? r.signal, log, hint)
}

/**
 * Like {@link runStep}, but asynchronous, so that steps can run side by side; prints one line when
 * the step starts and one when it ends. `onChild` receives the process (to stop it on Ctrl-C);
 * when `cancelled()` is true at its end, a failure is not reported.
 */
export function runStepAsync(label, cmd, args, { env, cwd = ROOT, hint, onChild, cancelled } = {}) {
  const log = outputFile()
  const fd = openSync(log.path, 'w')
  const started = Date.now()
  say(`${label}…`)
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', fd, fd] })
    closeSync(fd)
    onChild?.(child)
    child.once('error', (e) => reject(failed(`${cmd} ${args.join(' ')}`, e.message, log, hint)))
    child.once('exit', (code, signal) => {
      if (code === 0) {
        say(`${shortLabel(label)}: done (${seconds(Date.now() - started)})`)
        rmSync(log.dir, { recursive: true, force: true })
        resolve()
      } else if (cancelled?.()) {
        rmSync(log.dir, { recursive: true, force: true })
        reject(new SetupError(`${shortLabel(label)}: stopped`))
      } else reject(failed(shortLabel(label), code ?? signal, log, hint))
    })
  })
}

function versionOf(cmd) {
  try {
    return execFileSync(cmd, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return undefined
  }
}

/** Returns the path of a pnpm binary at the pinned version, installing it with npm if needed. */
export function ensurePnpm() {
  if (versionOf('pnpm') === PNPM_VERSION) return 'pnpm'
  const local = join(ROOT, '.tools', 'node_modules', '.bin', 'pnpm')
  if (existsSync(local) && versionOf(local) === PNPM_VERSION) return local
  try {
    runStep(
      `installing pnpm ${PNPM_VERSION} (npm install -g)`,
      'npm',
      ['install', '-g', `pnpm@${PNPM_VERSION}`],
      {
        showFailure: false,
      },
    )
    if (versionOf('pnpm') === PNPM_VERSION) return 'pnpm'
  } catch {
    say('a global install is not possible here; installing pnpm into .tools/ instead')
  }
  runStep(
    `installing pnpm ${PNPM_VERSION} into .tools/`,
    'npm',
    ['install', '--no-save', '--prefix', join(ROOT, '.tools'), `pnpm@${PNPM_VERSION}`],
    {
      hint: 'npm could not install pnpm: check the connection to the npm registry (npm config get registry).',
    },
  )
  return local
}

/** Whether the workspace's dependencies are installed from the current lockfile. */
export function dependenciesInstalled() {
  const marker = join(ROOT, 'node_modules', '.modules.yaml')
  return existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(ROOT, 'pnpm-lock.yaml')).mtimeMs
}

/**
 * Whether better-sqlite3's install can download its prebuilt binary from GitHub. When github.com
 * does not even resolve (offline, or a registry mirror without internet), its install script would
 * try anyway, print `prebuild-install warn install getaddrinfo ENOTFOUND github.com` and then compile
 * from source; we go straight to compiling instead.
 */
function prebuiltDownloadPossible() {
  const env = process.env
  if (env.npm_config_build_from_source !== undefined) return true // the user decides
  if (env.HTTPS_PROXY || env.https_proxy || env.npm_config_https_proxy) return true // the proxy resolves
  const probe = spawnSync(
    process.execPath,
    ['-e', "require('node:dns').lookup('github.com', (e) => process.exit(e ? 1 : 0))"],
    { stdio: 'ignore', timeout: 5000 },
  )
  return probe.status === 0
}

/** Installs the workspace's dependencies when the lockfile changed since the last install. */
export function ensureDependencies(pnpm) {
  if (dependenciesInstalled()) return
  const compile = !prebuiltDownloadPossible()
  runStep(
    compile
      ? 'installing dependencies (first time: about 2 minutes; better-sqlite3 compiles from source)'
      : 'installing dependencies (first time: about a minute)',
    pnpm,
    ['install', '--frozen-lockfile'],
    {
      env: {
        ...process.env,
        CI: 'true',
        ...(compile ? { npm_config_build_from_source: 'better-sqlite3' } : {}),
      },
      hint: [
        'What to do: check the connection to the npm registry (`npm config get registry`; behind a proxy set',
        'HTTPS_PROXY). If better-sqlite3 failed to compile, install a C/C++ tool chain and Python (Debian/Ubuntu:',
        'sudo apt-get install -y python3 make g++). Then run npm start again.',
      ].join('\n'),
    },
  )
}

/** Makes sure a Chromium for the browser tests exists; installs Debian's package when root. */
export function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (existsSync(path)) return path
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `No Chromium at ${path}. Install it (Debian: sudo apt-get install -y chromium) or set CHROMIUM_PATH.`,
    )
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  runStep('updating the apt package lists', 'apt-get', ['update', '-qq'], { env })
  runStep(
    'installing Debian chromium for the browser tests',
    'apt-get',
    ['install', '-y', '-qq', '--no-install-recommends', 'chromium'],
    { env },
  )
  return path
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    if (!dependenciesInstalled()) ensureDependencies(ensurePnpm())
    if (process.argv.includes('--browser')) ensureChromium()
  } catch (e) {
    say(e.message)
    process.exit(1)
  }
}
