import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm'
import { str } from './migration-columns'

/**
 * Presentation requests get a secret (stored hashed) that binds a nonce to the party that asked.
 * On PostgreSQL an uploaded list's `issued_at` (seconds) becomes 64-bit (SQLite's integer is).
 */
export class RequestSecrets1732300000003 implements MigrationInterface {
  name = 'RequestSecrets1732300000003'

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('clavis_nonce', new TableColumn(str('secret_hash', 64, true)))
    if (q.connection.options.type === 'postgres')
      await q.query('ALTER TABLE clavis_uploaded_list ALTER COLUMN issued_at TYPE bigint')
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres')
      await q.query('ALTER TABLE clavis_uploaded_list ALTER COLUMN issued_at TYPE integer')
    await q.dropColumn('clavis_nonce', 'secret_hash')
  }
}
