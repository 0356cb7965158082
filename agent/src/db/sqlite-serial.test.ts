import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { DataSource } from 'typeorm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { serialiseSqlite, sqliteExclusive, TransactionMisuseError } from './sqlite-serial'

describe('serialiseSqlite', () => {
  let dir: string
  let ds: DataSource

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clavis-serial-'))
    ds = await new DataSource({ type: 'better-sqlite3', database: join(dir, 'db.sqlite') }).initialize()
    serialiseSqlite(ds)
    await ds.query('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)')
  })
  afterEach(async () => {
    await ds.destroy()
    rmSync(dir, { recursive: true, force: true })
  })

  const rows = async () => (await ds.query('SELECT k FROM t ORDER BY k')).map((r: { k: string }) => r.k)

  it('exclusive work waits for an open transaction and is not rolled back with it', async () => {
    const exclusive = sqliteExclusive(ds)!
    let txDone = false
    const failing = ds.transaction(async (m) => {
      await m.query("INSERT INTO t VALUES ('in-tx', 1)")
      await sleep(20)
      txDone = true
      throw new Error('roll back')
    })
    await sleep(5)
    const seen = await exclusive((db) => {
      db.prepare("INSERT INTO t VALUES ('exclusive', 1)").run()
      return txDone
    })
    await expect(failing).rejects.toThrow('roll back')
    expect(seen).toBe(true)
    expect(await rows()).toEqual(['exclusive'])
  })

  it('exclusive work started inside a transaction throws instead of waiting for itself', async () => {
    const exclusive = sqliteExclusive(ds)!
    await expect(
      ds.transaction(async (m) => {
        await m.query("INSERT INTO t VALUES ('in-tx', 1)")
        await exclusive((db) => db.prepare('SELECT 1').all())
      }),
    ).rejects.toBeInstanceOf(TransactionMisuseError)
    expect(await rows()).toEqual([])
  })

  it('a statement sent while a transaction awaits is not rolled back with it', async () => {
    const failing = ds.transaction(async (m) => {
      await m.query("INSERT INTO t VALUES ('in-tx', 1)")
      await sleep(20)
      throw new Error('roll back')
    })
    const outside = (async () => {
      await sleep(5)
      await ds.query("INSERT INTO t VALUES ('outside', 1)")
    })()
    await expect(failing).rejects.toThrow('roll back')
    await outside
    expect(await rows()).toEqual(['outside'])
  })

  it('concurrent transactions run one after the other, each atomic (no nested BEGIN)', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        ds.transaction(async (m) => {
          await m.query('INSERT INTO t VALUES (?, 1)', [`k${i}`])
          await sleep(2)
          if (i % 2 === 1) throw new Error(`odd ${i}`)
          await m.query('INSERT INTO t VALUES (?, 2)', [`k${i}b`])
        }),
      ),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4)
    expect(await rows()).toEqual(['k0', 'k0b', 'k2', 'k2b', 'k4', 'k4b', 'k6', 'k6b'])
  })

  it('a read inside a transaction sees its own writes; a read outside waits for the commit', async () => {
    let outsideSaw: string[] | undefined
    let insideSaw = 0
    const tx = ds.transaction(async (m) => {
      await m.query("INSERT INTO t VALUES ('a', 1)")
      await sleep(20)
      insideSaw = (await m.query('SELECT k FROM t')).length
      expect(outsideSaw).toBeUndefined()
    })
    await sleep(5)
    outsideSaw = await rows()
    await tx
    expect(insideSaw).toBe(1)
    expect(outsideSaw).toEqual(['a'])
  })

  it('a statement that bypasses the transaction it runs in throws instead of deadlocking', async () => {
    await expect(
      ds.transaction(async (m) => {
        await m.query("INSERT INTO t VALUES ('a', 1)")
        await ds.query('SELECT 1')
      }),
    ).rejects.toBeInstanceOf(TransactionMisuseError)
    expect(await rows()).toEqual([])
  })

  it('a failed COMMIT releases the connection (the next statement runs)', async () => {
    await ds.query('CREATE TABLE parent (id TEXT PRIMARY KEY)')
    await ds.query('CREATE TABLE child (p TEXT REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)')
    await ds.query('PRAGMA foreign_keys = ON')
    await expect(
      ds.transaction(async (m) => {
        await m.query("INSERT INTO child VALUES ('missing')")
      }),
    ).rejects.toThrow(/FOREIGN KEY/)
    await ds.query("INSERT INTO t VALUES ('after', 1)")
    expect(await rows()).toEqual(['after'])
  })
})
