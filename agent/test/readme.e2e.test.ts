import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestAgent, type TestAgent } from './harness'

// The README's walkthrough, verbatim: every ```sh block of "## Using it" runs in order, as one bash
// script with `set -e`, in a fresh folder that looks like a fresh clone after `npm start` (a
// `./clavis` and a `.clavis` data folder), against a real agent on the embedded chain.

const ROOT = join(import.meta.dirname, '..', '..')

/** The ```sh blocks of one README section, in order. */
function shellBlocks(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n${heading}\n`)
  if (start < 0) throw new Error(`README has no "${heading}" section`)
  const next = markdown.indexOf('\n## ', start + heading.length + 2)
  const section = markdown.slice(start, next < 0 ? undefined : next)
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!)
}

let t: TestAgent
let work: string

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'clavis-readme-'))
  t = await startTestAgent({ dataDir: join(work, '.clavis') })
  symlinkSync(join(ROOT, 'clavis'), join(work, 'clavis'))
})
afterAll(async () => {
  await t?.stop()
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('README', () => {
  it('"Using it" runs verbatim and does what the text says', async () => {
    const blocks = shellBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'), '## Using it')
    expect(blocks.length).toBeGreaterThanOrEqual(2)
    const script = ['set -euo pipefail', ...blocks].join('\n')
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: work, CLAVIS_AGENT_URL: t.url }
    // Asynchronously: the agent answers from this very process.
    const r = await new Promise<{ status: number; stdout: string; stderr: string }>((done) => {
      execFile('bash', ['-c', script], { cwd: work, env, timeout: 240_000 }, (error, stdout, stderr) =>
        done({ status: error ? ((error.code as number) ?? 1) : 0, stdout, stderr }),
      )
    })
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0)
    // What the text promises along the way.
    expect(r.stdout).toMatch(/^role\s+staff$/m)
    expect(r.stdout).toContain('suspended, so not valid')
    expect(r.stdout.match(/^VALID {2}ClinicianLicenseCredential$/gm)?.length).toBe(2)
    expect(r.stdout).toMatch(/^VALID presentation$/m)
    expect(r.stdout).toMatch(/is now revoked/)
    const disclosed = r.stdout.slice(r.stdout.indexOf('VALID presentation'))
    expect(disclosed).toContain('"birthDate"')
    expect(disclosed).not.toContain('MRN-0042')
    // The wallet walkthrough: received, shared, and the hospital sees a valid answer with what it asked.
    expect(r.stdout).toMatch(
      /^received\s+ClinicianLicenseCredential \(dc\+sd-jwt\) from Demo Medical Board$/m,
    )
    expect(r.stdout).toMatch(/^shared: the verifier accepted it$/m)
    expect(r.stdout).toMatch(/^valid\s+VALID$/m)
    expect(r.stdout).toMatch(/"licenseNumber":"A-/)
  })
})
