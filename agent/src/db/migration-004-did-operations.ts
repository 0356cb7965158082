import { type MigrationInterface, type QueryRunner, Table } from 'typeorm'
import { id, str } from './migration-columns'

/**
 * DID operations (intents): a change across chain, database and key store is recorded before it
 * starts; one unfinished operation per organisation at a time (a partial unique index), across
 * agent processes too.
 */
export class DidOperations1732300000004 implements MigrationInterface {
  name = 'DidOperations1732300000004'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'clavis_did_operation',
        columns: [
          id,
          str('organisation_id', 64),
          str('kind', 32),
          { name: 'params', type: 'text' },
          str('state', 16),
          { name: 'result', type: 'text', isNullable: true },
          str('created_at', 40),
          str('updated_at', 40),
        ],
      }),
      true,
    )
    await q.query(
      `CREATE UNIQUE INDEX uq_did_operation_open ON clavis_did_operation (organisation_id) WHERE state <> 'done'`,
    )
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX uq_did_operation_open')
    await q.dropTable('clavis_did_operation', true)
  }
}
