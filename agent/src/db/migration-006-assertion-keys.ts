import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm'
import { id, str, time } from './migration-columns'

/**
 * Assertion keys (ADR 0024): the keys organisations sign credentials and status lists with, one
 * active per organisation (a partial unique index), retired and revoked ones kept with their public
 * key and how long the chain publishes them.
 */
export class AssertionKeys1732300000006 implements MigrationInterface {
  name = 'AssertionKeys1732300000006'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'clavis_assertion_key',
        columns: [
          id,
          str('organisation_id', 64),
          str('did', 256),
          str('key_id', 256),
          str('public_key_hex', 130),
          str('state', 16),
          time('published_until'),
          time('created_at'),
          time('ended_at', true),
        ],
      }),
      true,
    )
    await q.createIndex(
      'clavis_assertion_key',
      new TableIndex({ name: 'uq_assertion_key_key', columnNames: ['key_id'], isUnique: true }),
    )
    await q.createIndex(
      'clavis_assertion_key',
      new TableIndex({ name: 'idx_assertion_key_did', columnNames: ['did', 'state'] }),
    )
    await q.query(
      `CREATE UNIQUE INDEX uq_assertion_key_active ON clavis_assertion_key (organisation_id) WHERE state = 'active'`,
    )
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX uq_assertion_key_active')
    await q.dropTable('clavis_assertion_key', true)
  }
}
