import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { formatSummary, summarize, summaryOk, testedWorkspaces } from './test-summary.mjs'

const root = join(import.meta.dirname, '..')
const SKIP = new Set([
  'node_modules',
  '.git',
  '.clavis',
  '.svelte-kit',
  '.turbo',
  'dist',
  'build',
  'test-results',
])

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name) || e.name.startsWith('.')) return []
    const path = join(dir, e.name)
    if (e.isDirectory()) return testFiles(path)
    return /\.test\.[cm]?[jt]s$/.test(e.name) ? [relative(root, path).split(sep).join('/')] : []
  })
}

describe('testedWorkspaces', () => {
  const workspaces = testedWorkspaces(root)

  it('is every package, the agent, the web app and the scripts', () => {
    const packages = readdirSync(join(root, 'packages')).map((p) => `packages/${p}`)
    expect(workspaces).toEqual(expect.arrayContaining([...packages, 'agent', 'web', 'scripts']))
  })

  it('covers every test file in the repository, so each one is counted', () => {
    const uncovered = testFiles(root).filter((f) => !workspaces.some((ws) => f.startsWith(`${ws}/`)))
    expect(uncovered).toEqual([])
  })
})

describe('summarize', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clavis-summary-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const report = (name: string, body: object) => {
    const file = join(dir, `${name}.json`)
    writeFileSync(file, JSON.stringify(body))
    return { name, file }
  }
  const ok = report('a', {
    numPassedTests: 3,
    numFailedTests: 0,
    numPendingTests: 1,
    numTodoTests: 1,
    testResults: [{ status: 'passed', assertionResults: [{ status: 'passed' }] }],
  })
  // A file whose set-up threw: its tests show as skipped, none as failed.
  const broken = report('b', {
    numPassedTests: 2,
    numFailedTests: 0,
    numPendingTests: 4,
    testResults: [{ status: 'failed', assertionResults: [{ status: 'skipped' }] }],
  })

  it('adds up passed, failed and skipped tests of every report', () => {
    const s = summarize([ok, { ...ok, name: 'c' }])
    expect(s).toMatchObject({ passed: 6, failed: 0, skipped: 4, brokenFiles: 0, missing: [] })
    expect(summaryOk(s)).toBe(true)
    expect(formatSummary(s)).toBe('Tests: 6 passed, 0 failed, 4 skipped\n  (passed: a 3, c 3)')
  })

  it('fails on a missing report and on a file that failed before its tests ran', () => {
    const s = summarize([ok, broken, { name: 'gone', file: join(dir, 'gone.json') }])
    expect(s).toMatchObject({ passed: 5, brokenFiles: 1, missing: ['gone'] })
    expect(summaryOk(s)).toBe(false)
    expect(formatSummary(s)).toContain(', 1 test file(s) failed before their tests ran, no report from gone')
  })

  it('fails when no test ran at all', () => {
    expect(summaryOk(summarize([]))).toBe(false)
  })
})
