// Content fingerprints of what a build is made from, so `npm start` rebuilds the web app and the
// agent only when their sources changed. A build writes the fingerprint of its inputs into its own
// output folder (`.source-hash`); a build made any other way has none and is rebuilt once.
// Node built-ins only: scripts/up.mjs imports it before the install.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { workspaceFolders } from './workspaces.mjs'

/** Folders never part of a build's inputs: outputs, caches, dependencies. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'build', '.svelte-kit', '.turbo', 'test-results'])
const isTestFile = (name) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(name)

/** The workspace packages by name → folder (relative to root), from pnpm-workspace.yaml. */
export function workspacePackages(root) {
  const dirs = workspaceFolders(root)
  const byName = new Map()
  for (const dir of dirs) {
    const manifest = join(root, dir, 'package.json')
    if (existsSync(manifest)) byName.set(JSON.parse(readFileSync(manifest, 'utf8')).name, dir)
  }
  return byName
}

/**
 * The workspace folders `dir` is built from: itself and every workspace package it depends on
 * (`workspace:` dependencies, transitively), relative to root.
 *
 * @example
 * workspaceClosure(ROOT, 'web') // ['web', 'packages/credentials', 'packages/crypto', …]
 */
export function workspaceClosure(root, dir) {
  const packages = workspacePackages(root)
  const seen = new Set()
  const visit = (d) => {
    if (seen.has(d)) return
    seen.add(d)
    const pkg = JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8'))
    for (const deps of [pkg.dependencies, pkg.devDependencies, pkg.peerDependencies])
      for (const [name, spec] of Object.entries(deps ?? {}))
        if (String(spec).startsWith('workspace:') && packages.has(name)) visit(packages.get(name))
  }
  visit(dir)
  return [...seen]
}

function collect(path, files) {
  let stat
  try {
    stat = statSync(path)
  } catch {
    return // an optional input that does not exist
  }
  if (stat.isFile()) {
    files.push(path)
    return
  }
  if (!stat.isDirectory()) return
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name)) continue
    if (entry.isFile() && isTestFile(entry.name)) continue
    collect(join(path, entry.name), files)
  }
}

/**
 * sha256 over the names and contents of every file under `paths` (files or folders, relative to
 * root; missing ones are skipped), leaving out tests, hidden files and build outputs.
 *
 * @example
 * fingerprint(ROOT, ['web/src', 'web/package.json', 'pnpm-lock.yaml'])
 */
export function fingerprint(root, paths) {
  const files = []
  for (const p of paths) collect(join(root, p), files)
  const hash = createHash('sha256')
  for (const file of [...new Set(files)].sort()) {
    hash.update(relative(root, file).split(sep).join('/'))
    hash.update('\0')
    hash.update(readFileSync(file))
    hash.update('\0')
  }
  return hash.digest('hex')
}

/** Inputs shared by every build: the exact dependency versions and the TypeScript settings. */
const COMMON = ['pnpm-lock.yaml', 'tsconfig.base.json']
/** Per workspace package: its manifest, TypeScript settings and sources. */
const packageInputs = (dir) => [`${dir}/package.json`, `${dir}/tsconfig.json`, `${dir}/src`]

/** What the web app's build (web/build) is made from. */
export function webInputs(root) {
  return [
    ...COMMON,
    ...workspaceClosure(root, 'web').flatMap(packageInputs),
    'web/svelte.config.js',
    'web/vite.config.ts',
    'web/static',
  ]
}

/** What the agent's server bundle (agent/dist/server) is made from. */
export function agentInputs(root) {
  return [...COMMON, ...workspaceClosure(root, 'agent').flatMap(packageInputs), 'scripts/build-agent.mjs']
}

/** The fingerprint a build left in its output folder, or undefined. */
export function readStamp(outDir) {
  try {
    return readFileSync(join(outDir, '.source-hash'), 'utf8').trim()
  } catch {
    return undefined
  }
}

/** Records that `outDir` was built from inputs with this fingerprint. */
export function writeStamp(outDir, hash) {
  const tmp = join(outDir, `.source-hash.${process.pid}`)
  writeFileSync(tmp, `${hash}\n`)
  renameSync(tmp, join(outDir, '.source-hash'))
}
