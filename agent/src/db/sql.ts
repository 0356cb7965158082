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
