#!/usr/bin/env node
// Idempotent set-up on a machine that has only Node >= 20.19 and npm:
// pnpm at the pinned version, the workspace's dependencies, and (with --browser) Debian's chromium.
// Uses only Node built-ins so it runs before anything is installed.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const PNPM_VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).packageManager.split('@')[1]

const say = (m) => process.stderr.write(`[setup] ${m}\n`)

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts })
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`)
  }
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
  say(`installing pnpm ${PNPM_VERSION} with npm`)
  const global = spawnSync('npm', ['install', '-g', `pnpm@${PNPM_VERSION}`], { stdio: 'inherit' })
  if (global.status === 0 && versionOf('pnpm') === PNPM_VERSION) return 'pnpm'
  say('global install not possible; installing pnpm into .tools/')
  run('npm', ['install', '--no-save', '--prefix', join(ROOT, '.tools'), `pnpm@${PNPM_VERSION}`])
  return local
}

/** Installs the workspace's dependencies when the lockfile changed since the last install. */
export function ensureDependencies(pnpm) {
  const marker = join(ROOT, 'node_modules', '.modules.yaml')
  const lock = join(ROOT, 'pnpm-lock.yaml')
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return
  say('installing dependencies (first time: ~2 minutes, better-sqlite3 compiles from source)')
  run(pnpm, ['install', '--frozen-lockfile'], { env: { ...process.env, CI: 'true' } })
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
  say('installing Debian chromium for the browser tests')
  run('apt-get', ['update', '-qq'])
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
  return path
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const pnpm = ensurePnpm()
    ensureDependencies(pnpm)
    if (process.argv.includes('--browser')) ensureChromium()
  } catch (e) {
    say(e.message)
    process.exit(1)
  }
}
