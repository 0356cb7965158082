import { EntitySchema } from 'typeorm'
import { idColumn, isoTimeColumn } from '../../db/columns'

// The tables this slice owns: row types and TypeORM schemas (migration 008).

/**
 * Where an offer is: `offered` (waiting for the wallet), `redeemed` (its code bought an access
 * token), `issued` (every offered credential was issued), `locked` (too many wrong transaction
 * codes), `expired` is computed from `expiresAt`/`tokenExpiresAt`, not stored.
 */
export type OfferState = 'offered' | 'redeemed' | 'issued' | 'locked'

/** A credential offer for one credential type, redeemable once with the pre-authorized code flow. */
export interface OfferRow {
  id: string
  organisationId: string
  credentialType: string
  /** JSON array of the credential configuration ids offered. */
  configurationIds: string
  /** JSON of what to issue (claims, validity); null once the offer is used up or locked. */
  request: string | null
  /** SHA-256 hex of the pre-authorized code. */
  codeHash: string
  /** SHA-256 hex of offer id + transaction code. */
  txCodeHash: string
  txAttempts: number
  state: OfferState
  expiresAt: string
  /** SHA-256 hex of the access token the code was exchanged for. */
  tokenHash: string | null
  tokenExpiresAt: string | null
  /** JSON array of `{ configurationId, credentialId }` issued so far. */
  issued: string
  createdAt: string
}

export const OfferEntity = new EntitySchema<OfferRow>({
  name: 'clavis_credential_offer',
  columns: {
    id: idColumn,
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    credentialType: { type: 'varchar', length: 64, name: 'credential_type' },
    configurationIds: { type: 'text', name: 'configuration_ids' },
    request: { type: 'text', nullable: true },
    codeHash: { type: 'varchar', length: 64, name: 'code_hash' },
    txCodeHash: { type: 'varchar', length: 64, name: 'tx_code_hash' },
    txAttempts: { type: 'integer', name: 'tx_attempts', default: 0 },
    state: { type: 'varchar', length: 16 },
    expiresAt: { ...isoTimeColumn, name: 'expires_at' },
    tokenHash: { type: 'varchar', length: 64, nullable: true, name: 'token_hash' },
    tokenExpiresAt: { ...isoTimeColumn, nullable: true, name: 'token_expires_at' },
    issued: { type: 'text' },
    createdAt: { ...isoTimeColumn, name: 'created_at' },
  },
})

/** A `c_nonce` from the issuer's nonce endpoint: single use, short-lived. */
export interface IssuerNonceRow {
  nonce: string
  organisationId: string
  expiresAt: string
}

export const IssuerNonceEntity = new EntitySchema<IssuerNonceRow>({
  name: 'clavis_issuer_nonce',
  columns: {
    nonce: { type: 'varchar', length: 64, primary: true },
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    expiresAt: { ...isoTimeColumn, name: 'expires_at' },
  },
})
