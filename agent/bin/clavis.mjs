#!/usr/bin/env node
// The Clavis CLI. Runs the compiled bundle in ../dist/cli, building it first (a second or so) when it
// is missing or older than the sources it is made from.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const agent = join(dirname(fileURLToPath(import.meta.url)), '..')
const root = join(agent, '..')
const bundle = join(agent, 'dist', 'cli', 'main.mjs')
const SOURCES = [
  join(agent, 'src', 'cli'),
  join(agent, 'package.json'),
  ...['api', 'credentials', 'crypto', 'did', 'errors', 'sd-jwt', 'status', 'verify'].map((p) =>
    join(root, 'packages', p, 'src'),
  ),
  join(root, 'pnpm-lock.yaml'),
]

/** The newest modification time under `path` (tests and folders' own times aside). */
function newest(path) {
  let stat
  try {
    stat = statSync(path)
  } catch {
    return 0
  }
  if (!stat.isDirectory()) return stat.mtimeMs
  let max = 0
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isFile() && /\.test\.ts$/.test(entry.name)) continue
    max = Math.max(max, newest(join(path, entry.name)))
  }
  return max
}

const stale = () => !existsSync(bundle) || SOURCES.some((s) => newest(s) > statSync(bundle).mtimeMs)

if (process.env.CLAVIS_CLI_REBUILD === '1' || stale()) {
  const { buildCli } = await import('../scripts/build-cli.mjs')
  await buildCli()
}
const { runCli } = await import(pathToFileURL(bundle).href)
process.exitCode = await runCli(process.argv.slice(2))
