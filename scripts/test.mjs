#!/usr/bin/env node
// `pnpm test` / `npm test`: sets up what the tests need, then runs lint, type checks and every
// test suite (unit, end-to-end on the real chain and database, browser) on SQLite, then the agent's
// suites again on a throwaway PostgreSQL (scripts/postgres.mjs), and prints a total.
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { ensureChromium, ensureDependencies, ensurePnpm, ROOT } from './ensure.mjs'
import { startPostgres } from './postgres.mjs'
import { formatSummary, summarize, summaryOk, testedWorkspaces } from './test-summary.mjs'

/** Every workspace with a `test` script (turbo runs exactly these), and the agent's run on PostgreSQL. */
const REPORTS = [
  ...testedWorkspaces(ROOT).map((ws) => ({ name: ws, file: join(ROOT, ws, 'test-results', 'vitest.json') })),
  { name: 'agent on PostgreSQL', file: join(ROOT, 'agent', 'test-results', 'vitest-postgres.json') },
]
const reporters = (file) => [
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=test-results/${file}`,
]

const header = (name) => process.stderr.write(`\n[test] ${name}\n`)

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, env: { ...process.env, ...env } })
  return r.status === 0
}

function step(name, cmd, args) {
  header(name)
  return run(cmd, args)
}

/**
 * Runs the agent's tests a second time, on a PostgreSQL server started for them (each test agent
 * makes its own database there, see agent/test/database.ts) and stopped afterwards in all cases.
 */
async function testOnPostgres(pnpm) {
  header('tests on PostgreSQL (agent)')
  let pg
  try {
    pg = await startPostgres()
  } catch (e) {
    process.stderr.write(
      `[test] could not start PostgreSQL, so the agent was not tested on it: ${e.message}\n`,
    )
    return false
  }
  try {
    const env = { CLAVIS_TEST_DATABASE: 'postgres', CLAVIS_TEST_POSTGRES_URL: pg.url }
    const args = ['--filter', '@clavis/agent', 'exec', 'vitest', 'run', ...reporters('vitest-postgres.json')]
    return run(pnpm, args, env)
  } finally {
    pg.stop()
  }
}

try {
  const pnpm = ensurePnpm()
  ensureDependencies(pnpm)
  process.env.CHROMIUM_PATH = ensureChromium()
  let ok = step('lint (biome)', pnpm, ['exec', 'biome', 'check', '.'])
  ok =
    step('typecheck', pnpm, [
      'exec',
      'turbo',
      'run',
      'typecheck',
      '--continue',
      '--output-logs=errors-only',
    ]) && ok
  for (const { file } of REPORTS) rmSync(file, { force: true })
  ok =
    step('tests', pnpm, [
      'exec',
      'turbo',
      'run',
      'test',
      '--concurrency=1',
      '--continue',
      '--output-logs=full',
      '--',
      ...reporters('vitest.json'),
    ]) && ok
  ok = (await testOnPostgres(pnpm)) && ok
  const summary = summarize(REPORTS)
  process.stdout.write(`\n${formatSummary(summary)}\n`)
  process.exit(ok && summaryOk(summary) ? 0 : 1)
} catch (e) {
  process.stderr.write(`[test] ${e.message}\n`)
  process.exit(1)
}
