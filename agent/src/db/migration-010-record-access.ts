import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm'
import { id, str, time } from './migration-columns'

const primary = <T extends object>(column: T) => ({ ...column, isPrimary: true })

/**
 * Record access (issue #12): the hash-chained audit trail and its signed checkpoints (ADR 0029,
 * 0030), patients and their FHIR records, access tokens, and the encrypted grant inbox. OpenID4VP
 * requests gain a purpose (an access request answers with a one-time code for a token).
 */
export class RecordAccess1732300000010 implements MigrationInterface {
  name = 'RecordAccess1732300000010'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'clavis_audit_entry',
        columns: [
          // One chain per organisation ('' holds what no organisation did: admin, anonymous checks).
          primary(str('chain', 64)),
          { name: 'seq', type: 'bigint', isPrimary: true },
          time('at'),
          str('kind', 48),
          str('patient_id', 64, true),
          { name: 'data', type: 'text' },
          str('prev', 64),
          str('hash', 64),
        ],
      }),
      true,
    )
    await q.createIndex(
      'clavis_audit_entry',
      new TableIndex({ name: 'idx_audit_patient', columnNames: ['chain', 'patient_id', 'seq'] }),
    )
    await q.createTable(
      new Table({
        name: 'clavis_audit_checkpoint',
        columns: [
          primary(str('chain', 64)),
          { name: 'size', type: 'bigint', isPrimary: true },
          str('head', 64),
          { name: 'jwt', type: 'text' },
          time('at'),
        ],
      }),
      true,
    )
    await q.createTable(
      new Table({
        name: 'clavis_patient',
        columns: [
          primary(str('organisation_id', 64)),
          primary(str('id', 64)),
          str('did', 200, true),
          str('offer_id', 64, true),
          time('created_at'),
        ],
      }),
      true,
    )
    await q.createIndex(
      'clavis_patient',
      new TableIndex({ name: 'idx_patient_did', columnNames: ['organisation_id', 'did'], isUnique: true }),
    )
    await q.createTable(
      new Table({
        name: 'clavis_fhir_resource',
        columns: [
          primary(str('organisation_id', 64)),
          primary(str('resource_type', 40)),
          primary(str('id', 64)),
          str('patient_id', 64),
          { name: 'resource', type: 'text' },
          time('last_updated'),
        ],
      }),
      true,
    )
    await q.createIndex(
      'clavis_fhir_resource',
      new TableIndex({
        name: 'idx_fhir_patient',
        columnNames: ['organisation_id', 'patient_id', 'resource_type'],
      }),
    )
    await q.createTable(
      new Table({
        name: 'clavis_access_token',
        columns: [
          id,
          str('organisation_id', 64),
          str('token_hash', 64),
          str('clinician_did', 200),
          str('patient_id', 64),
          { name: 'scopes', type: 'text' },
          str('jkt', 64),
          str('purpose', 16),
          str('kind', 16),
          { name: 'checks', type: 'text' },
          { name: 'reason', type: 'text', isNullable: true },
          time('expires_at'),
          time('created_at'),
        ],
      }),
      true,
    )
    await q.createIndex(
      'clavis_access_token',
      new TableIndex({ name: 'idx_access_token_hash', columnNames: ['token_hash'], isUnique: true }),
    )
    await q.createTable(
      new Table({
        name: 'clavis_inbox_message',
        columns: [
          id,
          str('organisation_id', 64),
          str('recipient_did', 200),
          str('sender_did', 200),
          { name: 'jwe', type: 'text' },
          time('created_at'),
          time('expires_at'),
        ],
      }),
      true,
    )
    await q.createIndex(
      'clavis_inbox_message',
      new TableIndex({ name: 'idx_inbox_recipient', columnNames: ['recipient_did', 'created_at'] }),
    )
    await q.createTable(
      new Table({
        name: 'clavis_inbox_key',
        columns: [
          primary(str('organisation_id', 64)),
          primary(str('did', 200)),
          { name: 'binding', type: 'text' },
          time('updated_at'),
        ],
      }),
      true,
    )
    await q.addColumns('clavis_vp_request', [
      new TableColumn({ ...str('purpose', 16), default: "'present'" }),
      new TableColumn(str('code_hash', 64, true)),
      new TableColumn({ name: 'access', type: 'text', isNullable: true }),
    ])
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumns('clavis_vp_request', ['purpose', 'code_hash', 'access'])
    for (const t of [
      'clavis_inbox_key',
      'clavis_inbox_message',
      'clavis_access_token',
      'clavis_fhir_resource',
      'clavis_patient',
      'clavis_audit_checkpoint',
      'clavis_audit_entry',
    ])
      await q.dropTable(t, true)
  }
}
