import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm'
import { id, str } from './migration-columns'

/** Status lists, credential status columns, uploaded lists and single-use nonces. */
export class StatusAndNonces1732300000002 implements MigrationInterface {
  name = 'StatusAndNonces1732300000002'

  async up(q: QueryRunner): Promise<void> {
    // A group of status lists sharing one index space: a credential holds one index in its group
    // (bitstring: the revocation and the suspension list; token: one 2-bit list).
    await q.createTable(
      new Table({
        name: 'clavis_status_group',
        columns: [
          id,
          str('organisation_id', 64),
          str('issuer_did', 256),
          str('format', 16),
          { name: 'size', type: 'integer' },
          { name: 'bits', type: 'integer' },
          { name: 'full', type: 'boolean', default: false },
          { name: 'version', type: 'integer', default: 0 },
          str('created_at', 40),
        ],
      }),
      true,
    )
    await q.addColumns('clavis_issued_credential', [
      new TableColumn({ ...str('format', 16), default: "'jwt_vc'" }),
      new TableColumn(str('status_group', 64, true)),
      new TableColumn({ name: 'status_index', type: 'integer', isNullable: true }),
      new TableColumn({ ...str('status', 16), default: "'valid'" }),
    ])
    await q.createIndex(
      'clavis_issued_credential',
      new TableIndex({
        name: 'uq_status_slot',
        columnNames: ['status_group', 'status_index'],
        isUnique: true,
      }),
    )
    // Rebuilding a list reads only the credentials that are not valid.
    await q.createIndex(
      'clavis_issued_credential',
      new TableIndex({ name: 'idx_status_changed', columnNames: ['status_group', 'status'] }),
    )
    await q.createTable(
      new Table({
        name: 'clavis_uploaded_list',
        columns: [
          id,
          str('issuer_did', 256),
          str('name', 64),
          { name: 'jwt', type: 'text' },
          { name: 'issued_at', type: 'integer' },
          str('updated_at', 40),
        ],
        uniques: [{ name: 'uq_uploaded_list', columnNames: ['issuer_did', 'name'] }],
      }),
      true,
    )
    await q.createTable(
      new Table({
        name: 'clavis_nonce',
        columns: [
          { ...str('nonce', 64), isPrimary: true },
          str('organisation_id', 64),
          str('audience', 256),
          str('expires_at', 40),
          str('used_at', 40, true),
        ],
      }),
      true,
    )
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('clavis_nonce', true)
    await q.dropTable('clavis_uploaded_list', true)
    await q.dropIndex('clavis_issued_credential', 'idx_status_changed')
    await q.dropIndex('clavis_issued_credential', 'uq_status_slot')
    for (const c of ['status', 'status_index', 'status_group', 'format'])
      await q.dropColumn('clavis_issued_credential', c)
    await q.dropTable('clavis_status_group', true)
  }
}
