import { AsyncLocalStorage } from 'node:async_hooks'
import { ClavisError } from '@clavis/errors'
import type { DataSource, EntityManager, QueryRunner } from 'typeorm'

/**
 * One holder at a time: a transaction holds the gate from BEGIN to COMMIT/ROLLBACK, a statement
 * outside any transaction holds it for that statement. Waiters are served in arrival order.
 */
class Gate {
  owner: object | undefined
  private readonly waiting: { owner: object; enter: () => void }[] = []

  acquire(owner: object): Promise<void> {
    if (this.owner === undefined) {
      this.owner = owner
      return Promise.resolve()
    }
    return new Promise<void>((enter) => this.waiting.push({ owner, enter }))
  }

  release(owner: object): void {
    if (this.owner !== owner) return
    const next = this.waiting.shift()
    this.owner = next?.owner
    next?.enter()
  }
}

/** A statement was sent on another runner from inside a transaction: it would wait for itself. */
export class TransactionMisuseError extends ClavisError<'internal'> {
  override readonly name = 'TransactionMisuseError'

  constructor(message: string, options: { cause?: unknown } = {}) {
    super({ code: 'internal', message, cause: options.cause })
  }
}

/** The parts of better-sqlite3's connection used directly (see {@link sqliteExclusive}). */
export interface RawSqlite {
  pragma(source: string): unknown
  prepare(source: string): { all(...params: unknown[]): unknown[]; run(...params: unknown[]): unknown }
}

/** Runs `work` on the connection alone, synchronously, between other callers' statements. */
export type SqliteExclusive = <T>(work: (db: RawSqlite) => T) => Promise<T>

const exclusives = new WeakMap<DataSource, SqliteExclusive>()

/**
 * The serialised SQLite DataSource's way to run synchronous better-sqlite3 calls with nobody else
 * on the connection (no transaction open, no statement of another request in between), or
 * undefined for a DataSource that is not one (PostgreSQL). For a hot statement that needs its
 * own connection setting for its one commit (see the nonce store).
 *
 * @example
 * const exclusive = sqliteExclusive(ds)
 * if (exclusive) await exclusive((db) => db.prepare('SELECT 1').all())
 */
export function sqliteExclusive(ds: DataSource): SqliteExclusive | undefined {
  return exclusives.get(ds)
}

type Runner = QueryRunner & {
  transactionDepth: number
  stmtCache?: Map<string, unknown>
}

/**
 * Makes a better-sqlite3 DataSource safe for concurrent requests. TypeORM gives every caller the
 * same query runner on the one connection, so a transaction that awaits between its statements
 * takes in the statements of other requests (and rolls them back with its own). Here every caller
 * gets its own runner on that connection, and a gate lets one transaction (or one lone statement)
 * use the connection at a time: transactions are isolated and serial, as SQLite's single writer
 * is anyway. Applies to everything on the DataSource, Veramo's stores included.
 *
 * A statement sent through another runner from inside a transaction (e.g. `ds.getRepository()`
 * instead of the transaction's manager) would wait for the transaction that waits for it; it
 * throws {@link TransactionMisuseError} instead.
 *
 * @example
 * const ds = await new DataSource({ type: 'better-sqlite3', database }).initialize()
 * serialiseSqlite(ds)
 */
export function serialiseSqlite(ds: DataSource): void {
  const driver = ds.driver as unknown as { createQueryRunner(mode?: string): Runner; queryRunner?: Runner }
  const template = driver.createQueryRunner('master')
  const Base = template.constructor as new (driver: unknown) => Runner
  const stmtCache = template.stmtCache
  const gate = new Gate()
  // The transaction whose callback the current async flow is in, if any.
  const inTransaction = new AsyncLocalStorage<{ runner?: Runner }>()

  const guard = (runner: Runner) => {
    const tx = inTransaction.getStore()?.runner
    if (tx && tx !== runner && gate.owner === tx) {
      throw new TransactionMisuseError(
        'A statement was sent outside the transaction it runs in: use the transaction’s EntityManager.',
      )
    }
  }

  class SerialRunner extends Base {
    override async query(...args: Parameters<QueryRunner['query']>) {
      if (gate.owner === this) return super.query(...args)
      guard(this)
      await gate.acquire(this)
      try {
        return await super.query(...args)
      } finally {
        gate.release(this)
      }
    }

    override async startTransaction(...args: Parameters<QueryRunner['startTransaction']>) {
      if (gate.owner !== this) {
        guard(this)
        await gate.acquire(this)
        const store = inTransaction.getStore()
        if (store && !store.runner) store.runner = this
      }
      try {
        await super.startTransaction(...args)
      } catch (e) {
        if (this.transactionDepth === 0) gate.release(this)
        throw e
      }
    }

    override async commitTransaction() {
      try {
        await super.commitTransaction()
      } finally {
        if (!this.isTransactionActive) gate.release(this)
      }
    }

    override async rollbackTransaction() {
      try {
        await super.rollbackTransaction()
      } finally {
        if (!this.isTransactionActive) gate.release(this)
      }
    }

    override async release() {
      // A transaction left open by a failed COMMIT and ROLLBACK must not keep the connection.
      if (gate.owner === this) {
        if (this.isTransactionActive) {
          try {
            await super.query('ROLLBACK')
          } catch {}
          ;(this as { isTransactionActive: boolean }).isTransactionActive = false
          this.transactionDepth = 0
        }
        gate.release(this)
      }
      return super.release()
    }
  }

  const connection = (driver as unknown as { databaseConnection: RawSqlite }).databaseConnection
  exclusives.set(ds, async (work) => {
    const owner = {}
    const tx = inTransaction.getStore()?.runner
    if (tx && gate.owner === tx)
      throw new TransactionMisuseError(
        'Exclusive work was started inside a transaction: it would wait for itself.',
      )
    await gate.acquire(owner)
    try {
      return work(connection)
    } finally {
      gate.release(owner)
    }
  })

  driver.createQueryRunner = () => {
    const runner = new SerialRunner(driver)
    if (stmtCache) runner.stmtCache = stmtCache
    return runner
  }
  // Callbacks of `ds.transaction` / `manager.transaction` run with their transaction known, so a
  // statement that bypasses it is caught by `guard` instead of deadlocking.
  const manager = ds.manager as EntityManager & { transaction: (...a: unknown[]) => Promise<unknown> }
  const transaction = manager.transaction.bind(manager)
  manager.transaction = (...a: unknown[]) => inTransaction.run({}, () => transaction(...a))
}
