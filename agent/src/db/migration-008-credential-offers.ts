import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm'
import { id, str, time } from './migration-columns'

/**
 * OpenID4VCI (ADR 0026): credential offers made by staff and redeemed by wallets with the
 * pre-authorized code flow, and the issuer's single-use `c_nonce`s. Codes, transaction codes and
 * access tokens are stored as hashes only; the claims are dropped once the offer is used up.
 */
export class CredentialOffers1732300000008 implements MigrationInterface {
  name = 'CredentialOffers1732300000008'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'clavis_credential_offer',
        columns: [
          id,
          str('organisation_id', 64),
          str('credential_type', 64),
          { name: 'configuration_ids', type: 'text' },
          { name: 'request', type: 'text', isNullable: true },
          str('code_hash', 64),
          str('tx_code_hash', 64),
          { name: 'tx_attempts', type: 'integer', default: 0 },
          str('state', 16),
          time('expires_at'),
          str('token_hash', 64, true),
          time('token_expires_at', true),
          { name: 'issued', type: 'text' },
          time('created_at'),
        ],
      }),
      true,
    )
    await q.createIndex(
      'clavis_credential_offer',
      new TableIndex({ name: 'uq_credential_offer_code', columnNames: ['code_hash'], isUnique: true }),
    )
    await q.createIndex(
      'clavis_credential_offer',
      new TableIndex({ name: 'uq_credential_offer_token', columnNames: ['token_hash'], isUnique: true }),
    )
    await q.createIndex(
      'clavis_credential_offer',
      new TableIndex({ name: 'idx_credential_offer_org', columnNames: ['organisation_id', 'created_at'] }),
    )
    await q.createTable(
      new Table({
        name: 'clavis_issuer_nonce',
        columns: [{ ...str('nonce', 64), isPrimary: true }, str('organisation_id', 64), time('expires_at')],
      }),
      true,
    )
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('clavis_issuer_nonce', true)
    await q.dropTable('clavis_credential_offer', true)
  }
}
