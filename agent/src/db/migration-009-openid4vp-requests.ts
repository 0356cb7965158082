import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm'
import { id, str, time } from './migration-columns'

/**
 * OpenID4VP (ADR 0027): presentation requests made by staff from a DCQL query, their signed
 * request objects, and the result of the one response each accepts (the checks and the claims
 * that were asked for; nothing else of the presentation).
 */
export class OpenId4VpRequests1732300000009 implements MigrationInterface {
  name = 'OpenId4VpRequests1732300000009'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'clavis_vp_request',
        columns: [
          id,
          str('organisation_id', 64),
          str('nonce', 64),
          { name: 'request_payload', type: 'text' },
          { name: 'request_jwt', type: 'text' },
          str('state', 16),
          time('expires_at'),
          { name: 'result', type: 'text', isNullable: true },
          time('created_at'),
          time('responded_at', true),
        ],
      }),
      true,
    )
    await q.createIndex(
      'clavis_vp_request',
      new TableIndex({ name: 'idx_vp_request_org', columnNames: ['organisation_id', 'created_at'] }),
    )
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('clavis_vp_request', true)
  }
}
