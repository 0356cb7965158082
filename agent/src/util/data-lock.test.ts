import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { acquireDataLock, DataFolderInUseError } from './data-lock'

const bootId = (() => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  } catch {
    return undefined
  }
})()

describe('acquireDataLock', () => {
  const dirs: string[] = []
  const folder = () => {
    const d = mkdtempSync(join(tmpdir(), 'clavis-lock-'))
    dirs.push(d)
    return d
  }
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
  const hold = (dir: string, record: object) => writeFileSync(join(dir, 'agent.lock'), JSON.stringify(record))

  it('records this process (and the boot) and releases', () => {
    const dir = folder()
    const lock = acquireDataLock(dir)
    const held = JSON.parse(readFileSync(join(dir, 'agent.lock'), 'utf8'))
    expect(held.pid).toBe(process.pid)
    expect(held.bootId).toBe(bootId)
    lock.release()
    expect(existsSync(join(dir, 'agent.lock'))).toBe(false)
  })

  it('refuses a folder a live agent holds, naming its process and how to stop it', () => {
    const dir = folder()
    const other = process.ppid // alive, and not this process
    hold(dir, { pid: other, bootId, startedAt: '2026-01-01T00:00:00.000Z' })
    expect(() => acquireDataLock(dir)).toThrow(DataFolderInUseError)
    expect(() => acquireDataLock(dir)).toThrow(`process ${other}`)
    expect(() => acquireDataLock(dir)).toThrow(`kill ${other}`)
  })

  it('takes over a lock of a process that is gone', () => {
    const dir = folder()
    hold(dir, { pid: 2 ** 22 + 12345, bootId, startedAt: '2026-01-01T00:00:00.000Z' })
    acquireDataLock(dir).release()
  })

  it.runIf(bootId !== undefined)(
    'takes over a lock from before the machine restarted, whatever runs under its pid now',
    () => {
      const dir = folder()
      hold(dir, { pid: process.ppid, bootId: 'another-boot', startedAt: '2026-01-01T00:00:00.000Z' })
      const lock = acquireDataLock(dir)
      expect(JSON.parse(readFileSync(join(dir, 'agent.lock'), 'utf8')).pid).toBe(process.pid)
      lock.release()
    },
  )
})
