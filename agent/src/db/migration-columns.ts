/** Portable column definitions for Clavis's migrations (SQLite and PostgreSQL alike). */

/** A varchar column. */
export const str = (name: string, length: number, nullable = false) => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
})

/** An ISO-8601 time stored as text (sorts as it reads). */
export const time = (name: string, nullable = false) => str(name, 40, nullable)

/** The 64-character text primary key. */
export const id = { ...str('id', 64), isPrimary: true }
