// What `npm test` counts: every workspace that has a `test` script (found from
// pnpm-workspace.yaml, so a new package is counted without editing a list), each one's vitest JSON
// report, and the total. Node built-ins only: scripts/test.mjs imports it before the install.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { workspaceFolders } from './workspaces.mjs'

/**
 * The workspaces (folders relative to `root`) whose package.json has a `test` script, sorted.
 *
 * @example
 * testedWorkspaces(ROOT) // ['agent', 'packages/api', …, 'scripts', 'web']
 */
export function testedWorkspaces(root) {
  return workspaceFolders(root)
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
