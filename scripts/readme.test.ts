import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// The README is the contract: its two commands are what CI and the root scripts run.
const root = join(import.meta.dirname, '..')
const read = (p: string) => readFileSync(join(root, p), 'utf8')

function twoCommands(): string[] {
  const readme = read('README.md')
  const section = readme.split(/^## /m).find((s) => s.startsWith('Two commands'))
  if (!section) throw new Error('README has no "## Two commands" section')
  return [...section.matchAll(/```sh\n([^`]+?)\n```/g)].map((m) => m[1]!.trim())
}

describe('README contract', () => {
  it('gives exactly two one-line commands: start, then test', () => {
    const commands = twoCommands()
    expect(commands).toEqual(['npm start', 'npm test'])
  })

  it('.ci/run runs exactly the README test command', () => {
    const lines = read('.ci/run')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !l.startsWith('set ') && !l.startsWith('cd '))
    expect(lines).toEqual([twoCommands()[1]])
  })

  it('the root scripts behind those commands are the set-up-and-run scripts', () => {
    const pkg = JSON.parse(read('package.json'))
    expect(pkg.scripts.start).toBe('node scripts/up.mjs')
    expect(pkg.scripts.test).toBe('node scripts/test.mjs')
    expect(pkg.scripts.bench).toMatch(/bench/)
    expect(pkg.scripts.clavis).toMatch(/clavis/)
    expect(pkg.packageManager).toMatch(/^pnpm@10\./)
  })

  it('the scripts need nothing but Node built-ins before the install', () => {
    for (const f of [
      'scripts/ensure.mjs',
      'scripts/up.mjs',
      'scripts/test.mjs',
      'scripts/test-summary.mjs',
      'scripts/postgres.mjs',
      'scripts/exit-with-parent.mjs',
      'scripts/fingerprint.mjs',
      'scripts/running.mjs',
      'scripts/build-agent.mjs',
      'scripts/workspaces.mjs',
    ]) {
      const imports = [...read(f).matchAll(/from '([^']+)'/g)].map((m) => m[1]!)
      for (const i of imports)
        expect(i.startsWith('node:') || i.startsWith('./'), `${f} imports ${i}`).toBe(true)
    }
  })
})
