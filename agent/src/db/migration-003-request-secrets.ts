import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm'
import { str } from './migration-columns'

/** Presentation requests get a secret (stored hashed) that binds a nonce to the party that asked. */
export class RequestSecrets1732300000003 implements MigrationInterface {
  name = 'RequestSecrets1732300000003'

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('clavis_nonce', new TableColumn(str('secret_hash', 64, true)))
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('clavis_nonce', 'secret_hash')
  }
}
