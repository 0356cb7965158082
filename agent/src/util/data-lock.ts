import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { ClavisError } from '@clavis/errors'

/** Another agent runs on this data folder. */
export class DataFolderInUseError extends ClavisError<'data_folder_in_use'> {
  override readonly name = 'DataFolderInUseError'

  constructor(message: string) {
    super({ code: 'data_folder_in_use', message })
  }
}

interface LockRecord {
  pid: number
  anvilPid?: number
  /** The machine's boot the agent ran in (Linux), so a pid from before a restart is not taken for it. */
  bootId?: string
  startedAt: string
}

/** This boot of the machine (Linux), or undefined. */
const currentBootId = (): string | undefined => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  } catch {
    return undefined
  }
}

const alive = (pid: number | undefined): boolean => {
  if (!pid || !Number.isSafeInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The command line of a process (Linux), or '' when it cannot be read. */
const commandLine = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {
    return ''
  }
}

/**
 * Takes the data folder for this process: one agent (and one embedded chain) per folder. A lock
 * left by an agent that died (or ran before the machine restarted) is taken over, and an anvil it
 * left running on this folder's chain is stopped first (it would roll the chain back every time it
 * saved). A live agent's lock is refused with a message naming its process.
 *
 * @example
 * const lock = acquireDataLock(dataDir)
 * lock.recordAnvil(node.pid)
 * lock.release()
 */
export function acquireDataLock(dataDir: string): {
  recordAnvil(pid: number | undefined): void
  release(): void
  /** What the lock found and did (for the start-up messages). */
  notes: string[]
} {
  const path = join(dataDir, 'agent.lock')
  const notes: string[] = []
  const bootId = currentBootId()
  for (let attempt = 0; ; attempt++) {
    let fd: number
    try {
      fd = openSync(path, 'wx', 0o600)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e
      let held: Partial<LockRecord> = {}
      try {
        held = JSON.parse(readFileSync(path, 'utf8')) as LockRecord
      } catch {}
      // Left before the machine restarted (a power cut): its pids now name other processes.
      const sameBoot = !held.bootId || !bootId || held.bootId === bootId
      if (held.pid !== process.pid && sameBoot && alive(held.pid)) {
        throw new DataFolderInUseError(
          `Another Clavis agent (process ${held.pid}, started ${held.startedAt ?? 'earlier'}) uses the data folder ${dataDir}. Stop it first (\`kill ${held.pid}\`: it stops gracefully), or set CLAVIS_DATA_DIR to another folder.`,
        )
      }
      if (sameBoot && held.anvilPid && alive(held.anvilPid) && commandLine(held.anvilPid).includes('anvil')) {
        try {
          process.kill(held.anvilPid, 'SIGKILL')
          notes.push(`stopped the chain process ${held.anvilPid} that a stopped agent left running`)
        } catch {}
      }
      rmSync(path, { force: true })
      continue
    }
    const record: LockRecord = { pid: process.pid, bootId, startedAt: new Date().toISOString() }
    writeSync(fd, JSON.stringify(record))
    closeSync(fd)
    return {
      notes,
      recordAnvil(pid) {
        if (pid) writeFileSync(path, JSON.stringify({ ...record, anvilPid: pid }), { mode: 0o600 })
      },
      release() {
        try {
          const held = JSON.parse(readFileSync(path, 'utf8')) as LockRecord
          if (held.pid === process.pid && existsSync(path)) rmSync(path, { force: true })
        } catch {}
      },
    }
  }
}
