import type { DataSource, EntityManager } from 'typeorm'

/**
 * `count` positional parameters for a raw statement, in the database's own syntax: `?, ?, …` on
 * SQLite, `$1, $2, …` on PostgreSQL (numbered from `from + 1`).
 *
 * @example
 * await db.query(`INSERT INTO t (a, b) VALUES (${placeholders(db, 2)})`, [1, 2])
 */
export function placeholders(db: DataSource | EntityManager, count: number, from = 0): string {
  const postgres = isPostgres(db)
  return Array.from({ length: count }, (_, i) => (postgres ? `$${from + i + 1}` : '?')).join(', ')
}

/** Whether the database is PostgreSQL (else SQLite). */
export function isPostgres(db: DataSource | EntityManager): boolean {
  const options = 'options' in db ? db.options : db.connection.options
  return options.type === 'postgres'
}

/** Whether a database error is a unique-constraint violation (SQLite or PostgreSQL). */
export function isUniqueViolation(e: unknown): boolean {
  const msg = (e as Error)?.message ?? ''
  const code =
    (e as { code?: string; driverError?: { code?: string } })?.driverError?.code ??
    (e as { code?: string }).code
  return (
    code === 'SQLITE_CONSTRAINT' || code === '23505' || /UNIQUE constraint failed|duplicate key/i.test(msg)
  )
}
