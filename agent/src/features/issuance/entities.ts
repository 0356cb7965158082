import { EntitySchema } from 'typeorm'
import { idColumn, isoTimeColumn } from '../../db/columns'

// The tables this slice owns: row types and TypeORM schemas (migrations: db/migration-*).

/** A credential an organisation issued. */
export interface IssuedCredentialRow {
  id: string
  organisationId: string
  type: string
  issuerDid: string
  subjectDid: string
  signerKid: string
  jwt: string
  issuedAt: string
  validFrom: string
  validUntil: string | null
  reissueRequired: boolean
  format: 'jwt_vc' | 'vc+jwt' | 'dc+sd-jwt'
  statusGroup: string | null
  statusIndex: number | null
  status: CredentialStatus
  /** The `Idempotency-Key` it was issued under, and the SHA-256 of that request (a retry must match). */
  idempotencyKey: string | null
  requestHash: string | null
}

/** Where a credential stands. */
export type CredentialStatus = 'valid' | 'revoked' | 'suspended'

export const IssuedCredentialEntity = new EntitySchema<IssuedCredentialRow>({
  name: 'clavis_issued_credential',
  columns: {
    id: idColumn,
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    type: { type: 'varchar', length: 64 },
    issuerDid: { type: 'varchar', length: 256, name: 'issuer_did' },
    subjectDid: { type: 'varchar', length: 256, name: 'subject_did' },
    signerKid: { type: 'varchar', length: 256, name: 'signer_kid' },
    jwt: { type: 'text' },
    issuedAt: { ...isoTimeColumn, name: 'issued_at' },
    validFrom: { ...isoTimeColumn, name: 'valid_from' },
    validUntil: { ...isoTimeColumn, nullable: true, name: 'valid_until' },
    reissueRequired: { type: 'boolean', default: false, name: 'reissue_required' },
    format: { type: 'varchar', length: 16, default: 'jwt_vc' },
    statusGroup: { type: 'varchar', length: 64, nullable: true, name: 'status_group' },
    statusIndex: { type: 'integer', nullable: true, name: 'status_index' },
    status: { type: 'varchar', length: 16, default: 'valid' },
    idempotencyKey: { type: 'varchar', length: 128, nullable: true, name: 'idempotency_key' },
    requestHash: { type: 'varchar', length: 64, nullable: true, name: 'request_hash' },
  },
  indices: [{ name: 'idx_issued_org', columns: ['organisationId', 'issuedAt'] }],
})
