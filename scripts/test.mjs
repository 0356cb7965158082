#!/usr/bin/env node
// `pnpm test` / `npm test`: sets up what the tests need, then runs lint, type checks and every
// test suite (unit, end-to-end on the real chain and database, browser), and prints a total.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ensureChromium, ensureDependencies, ensurePnpm, ROOT } from './ensure.mjs'

const WORKSPACES = [
  'packages/credentials',
  'packages/api',
  'packages/did',
  'packages/verify',
  'agent',
  'web',
  'scripts',
]

function step(name, cmd, args, env = {}) {
  process.stderr.write(`\n[test] ${name}\n`)
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, env: { ...process.env, ...env } })
  return r.status === 0
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
  for (const ws of WORKSPACES) rmSync(join(ROOT, ws, 'test-results', 'vitest.json'), { force: true })
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
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=test-results/vitest.json',
    ]) && ok
  let passed = 0
  let failed = 0
  let skipped = 0
  for (const ws of WORKSPACES) {
    const file = join(ROOT, ws, 'test-results', 'vitest.json')
    if (!existsSync(file)) continue
    const r = JSON.parse(readFileSync(file, 'utf8'))
    passed += r.numPassedTests
    failed += r.numFailedTests
    skipped += r.numPendingTests + (r.numTodoTests ?? 0)
  }
  if (passed + failed === 0) ok = false
  process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`)
  process.exit(ok && failed === 0 ? 0 : 1)
} catch (e) {
  process.stderr.write(`[test] ${e.message}\n`)
  process.exit(1)
}
