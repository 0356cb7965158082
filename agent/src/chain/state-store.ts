import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'

/** How many saved chain states are kept (the newest first; older ones are the fall-backs). */
const KEEP = 3
const NAME = /^state-(\d{15})\.json$/
/** The file anvil itself wrote before the agent saved states on its own (read once, never written). */
export const LEGACY_STATE_FILE = 'anvil-state.json'

/** A saved chain state that could not be used, and why. */
export interface SkippedState {
  file: string
  reason: string
}

/**
 * Crash-safe storage of the embedded chain's state snapshots (anvil's `anvil_dumpState`, as JSON).
 * Each save writes a new file — temporary name, fsync, rename, fsync of the folder — so a kill or a
 * full disk at any moment leaves every earlier snapshot whole; the newest few are kept. Loading
 * picks the newest snapshot that parses and says which were skipped.
 *
 * @example
 * const store = createChainStateStore({ dir: '.clavis/chain' })
 * store.save(json)
 * const { path, skipped } = store.newest()
 */
export function createChainStateStore(options: { dir: string }) {
  const { dir } = options
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  let sequence = 0

  const snapshots = () =>
    readdirSync(dir)
      .filter((f) => NAME.test(f))
      .sort()
      .reverse()

  function fsyncDir(): void {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  }

  return {
    /**
     * Writes a snapshot durably (throws, leaving the earlier ones intact, when it cannot — e.g. a
     * full disk: the caller reports that the change is not yet safe).
     */
    save(json: string): string {
      // Names sort by time; the sequence keeps two saves in one millisecond apart.
      const stamp = String(Date.now() * 100 + (sequence++ % 100)).padStart(15, '0')
      const file = `state-${stamp}.json`
      const tmp = join(dir, `.${file}.tmp`)
      let fd: number | undefined
      try {
        fd = openSync(tmp, 'w', 0o600)
        const bytes = Buffer.from(json, 'utf8')
        let at = 0
        while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at)
        fsyncSync(fd)
        closeSync(fd)
        fd = undefined
        renameSync(tmp, join(dir, file))
        fsyncDir()
      } catch (e) {
        if (fd !== undefined) closeSync(fd)
        rmSync(tmp, { force: true })
        throw e
      }
      for (const old of snapshots().slice(KEEP)) rmSync(join(dir, old), { force: true })
      return join(dir, file)
    },

    /** The newest snapshot that parses as a chain state (or anvil's own legacy file), and what was skipped. */
    newest(): { path: string | undefined; skipped: SkippedState[] } {
      const skipped: SkippedState[] = []
      for (const tmp of readdirSync(dir).filter((f) => f.endsWith('.tmp')))
        rmSync(join(dir, tmp), { force: true })
      const candidates = [
        ...snapshots(),
        ...(existsSync(join(dir, LEGACY_STATE_FILE)) ? [LEGACY_STATE_FILE] : []),
      ]
      for (const file of candidates) {
        const path = join(dir, file)
        const reason = unusable(path)
        if (!reason) return { path, skipped }
        skipped.push({ file, reason })
      }
      return { path: undefined, skipped }
    },
  }
}

/** Why a state file cannot be loaded, or undefined when it can. */
function unusable(path: string): string | undefined {
  let state: unknown
  try {
    state = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    return `not a whole JSON file (${(e as Error).message.slice(0, 80)})`
  }
  if (typeof state !== 'object' || state === null || !('accounts' in state) || !('block' in state))
    return 'not an anvil state (no accounts or block)'
  return undefined
}

/** The chain state store of the agent. */
export type ChainStateStore = ReturnType<typeof createChainStateStore>
