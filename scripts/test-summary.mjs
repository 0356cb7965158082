// What `npm test` counts: every workspace that has a `test` script (found from
// pnpm-workspace.yaml, so a new package is counted without editing a list), each one's vitest JSON
// report, and the total. Node built-ins only: scripts/test.mjs imports it before the install.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The workspaces (folders relative to `root`) whose package.json has a `test` script, sorted.
 * Reads the `packages:` globs of pnpm-workspace.yaml: a folder, or a folder followed by `/*`.
 *
 * @example
 * testedWorkspaces(ROOT) // ['agent', 'packages/api', …, 'scripts', 'web']
 */
export function testedWorkspaces(root) {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')
  const block = yaml.match(/^packages:\n((?:[ \t]+-.*\n?)+)/m)
  if (!block) throw new Error('pnpm-workspace.yaml has no "packages:" list')
  const dirs = []
  for (const line of block[1].split('\n')) {
    const glob = line
      .replace(/^\s*-\s*/, '')
      .replace(/^['"]|['"]$/g, '')
      .trim()
    if (!glob) continue
    if (glob.endsWith('/*')) {
      const parent = glob.slice(0, -2)
      if (/[*?[{!]/.test(parent)) throw new Error(`pnpm-workspace.yaml: cannot expand "${glob}"`)
      const full = join(root, parent)
      if (!existsSync(full)) continue
      for (const entry of readdirSync(full, { withFileTypes: true }))
        if (entry.isDirectory()) dirs.push(`${parent}/${entry.name}`)
    } else if (/[*?[{!]/.test(glob)) {
      throw new Error(`pnpm-workspace.yaml: cannot expand "${glob}"`)
    } else {
      dirs.push(glob)
    }
  }
  return dirs
    .filter((dir) => {
      const manifest = join(root, dir, 'package.json')
      return existsSync(manifest) && Boolean(JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test)
    })
    .sort()
}

/**
 * Adds up vitest JSON reports. A report that is missing (its run crashed before writing it) and a
 * test file that failed before its tests ran (they show as skipped) are counted, so they fail the
 * run instead of shrinking the total.
 *
 * @example
 * const s = summarize([{ name: 'packages/api', file: 'packages/api/test-results/vitest.json' }])
 * // { passed: 4, failed: 0, skipped: 0, brokenFiles: 0, missing: [], byReport: [{ name, passed: 4 }] }
 */
export function summarize(reports) {
  const summary = { passed: 0, failed: 0, skipped: 0, brokenFiles: 0, missing: [], byReport: [] }
  for (const { name, file } of reports) {
    if (!existsSync(file)) {
      summary.missing.push(name)
      continue
    }
    const r = JSON.parse(readFileSync(file, 'utf8'))
    summary.passed += r.numPassedTests
    summary.failed += r.numFailedTests
    summary.skipped += r.numPendingTests + (r.numTodoTests ?? 0)
    summary.brokenFiles += (r.testResults ?? []).filter(
      (f) => f.status === 'failed' && f.assertionResults?.every((a) => a.status !== 'failed'),
    ).length
    summary.byReport.push({ name, passed: r.numPassedTests })
  }
  return summary
}

/**
 * The summary as printed at the end of `npm test`: the total, then how many passed in each report.
 *
 * @example
 * formatSummary(summarize(reports)) // 'Tests: 1061 passed, 0 failed, 5 skipped\n  (agent 441, …)'
 */
export function formatSummary(s) {
  const broken = s.brokenFiles > 0 ? `, ${s.brokenFiles} test file(s) failed before their tests ran` : ''
  const missing = s.missing.length > 0 ? `, no report from ${s.missing.join(', ')}` : ''
  const parts = s.byReport.map((r) => `${r.name} ${r.passed}`).join(', ')
  return `Tests: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped${broken}${missing}\n  (passed: ${parts})`
}

/** Whether the counted tests make a green run: some ran, none failed, no file or report lost. */
export const summaryOk = (s) =>
  s.passed + s.failed > 0 && s.failed === 0 && s.brokenFiles === 0 && s.missing.length === 0
