import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm'
import { str } from './migration-columns'

/** Issuance is idempotent per `Idempotency-Key`: the key and the request's hash on the credential row. */
export class Idempotency1732300000005 implements MigrationInterface {
  name = 'Idempotency1732300000005'

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('clavis_issued_credential', [
      new TableColumn(str('idempotency_key', 128, true)),
      new TableColumn(str('request_hash', 64, true)),
    ])
    await q.createIndex(
      'clavis_issued_credential',
      new TableIndex({
        name: 'uq_issue_idempotency',
        columnNames: ['organisation_id', 'idempotency_key'],
        isUnique: true,
      }),
    )
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('clavis_issued_credential', 'uq_issue_idempotency')
    await q.dropColumn('clavis_issued_credential', 'request_hash')
    await q.dropColumn('clavis_issued_credential', 'idempotency_key')
  }
}
