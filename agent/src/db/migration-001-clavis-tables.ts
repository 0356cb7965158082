import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm'
import { id, str, time } from './migration-columns'

/** Creates Clavis's own tables; portable across SQLite and PostgreSQL. */
export class CreateClavisTables1732300000001 implements MigrationInterface {
  name = 'CreateClavisTables1732300000001'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'clavis_organisation',
        columns: [
          id,
          str('name', 200),
          str('kind', 16),
          { ...str('did', 256), isUnique: true },
          str('status', 16),
          time('created_at'),
        ],
      }),
      true,
    )
    await q.createTable(
      new Table({
        name: 'clavis_api_token',
        columns: [
          id,
          str('organisation_id', 64, true),
          str('role', 16),
          { ...str('token_hash', 64), isUnique: true },
          time('created_at'),
          time('revoked_at', true),
        ],
      }),
      true,
    )
    await q.createTable(
      new Table({
        name: 'clavis_issued_credential',
        columns: [
          id,
          str('organisation_id', 64),
          str('type', 64),
          str('issuer_did', 256),
          str('subject_did', 256),
          str('signer_kid', 256),
          { name: 'jwt', type: 'text' },
          time('issued_at'),
          time('valid_from'),
          time('valid_until', true),
          { name: 'reissue_required', type: 'boolean', default: false },
        ],
      }),
      true,
    )
    await q.createIndex(
      'clavis_issued_credential',
      new TableIndex({ name: 'idx_issued_org', columnNames: ['organisation_id', 'issued_at'] }),
    )
    await q.createTable(
      new Table({
        name: 'clavis_trust_entry',
        columns: [
          id,
          str('organisation_id', 64),
          str('issuer_did', 256),
          str('credential_type', 64),
          time('created_at'),
        ],
        uniques: [{ name: 'uq_trust', columnNames: ['organisation_id', 'issuer_did', 'credential_type'] }],
      }),
      true,
    )
    await q.createTable(
      new Table({
        name: 'clavis_did_event',
        columns: [
          id,
          str('organisation_id', 64),
          str('kind', 32),
          { name: 'detail', type: 'text' },
          str('tx_hash', 80, true),
          time('at'),
        ],
      }),
      true,
    )
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'clavis_did_event',
      'clavis_trust_entry',
      'clavis_issued_credential',
      'clavis_api_token',
      'clavis_organisation',
    ]) {
      await q.dropTable(t, true)
    }
  }
}
