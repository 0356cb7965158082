import type { EntitySchemaColumnOptions } from 'typeorm'

/** The primary key column every Clavis table has. */
export const idColumn = {
  type: 'varchar',
  length: 64,
  primary: true,
} as const satisfies EntitySchemaColumnOptions

/** An ISO 8601 time, stored as text (the same on SQLite and PostgreSQL). */
export const isoTimeColumn = { type: 'varchar', length: 40 } as const satisfies EntitySchemaColumnOptions
