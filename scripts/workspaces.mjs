// The workspace folders pnpm-workspace.yaml names. Node built-ins only: scripts run it before the install.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The workspace folders (relative to `root`) from the `packages:` globs of pnpm-workspace.yaml: a
 * folder, or a folder followed by `/*`; any other glob is refused rather than guessed at.
 *
 * @example
 * workspaceFolders(ROOT) // ['packages/api', …, 'agent', 'web', 'bench', 'scripts']
 */
export function workspaceFolders(root) {
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
}
