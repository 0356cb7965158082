import { EntitySchema } from 'typeorm'
import { isoTimeColumn } from '../../db/columns'

// The tables this slice owns: row types and TypeORM schemas (migrations: db/migration-*).

/** A single-use presentation nonce issued by a verifier organisation. */
export interface NonceRow {
  nonce: string
  organisationId: string
  audience: string
  expiresAt: string
  usedAt: string | null
  /** SHA-256 hex of the request secret (null for nonces made before secrets existed: unusable). */
  secretHash: string | null
}

export const NonceEntity = new EntitySchema<NonceRow>({
  name: 'clavis_nonce',
  columns: {
    nonce: { type: 'varchar', length: 64, primary: true },
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    audience: { type: 'varchar', length: 256 },
    expiresAt: { ...isoTimeColumn, name: 'expires_at' },
    usedAt: { ...isoTimeColumn, nullable: true, name: 'used_at' },
    secretHash: { type: 'varchar', length: 64, nullable: true, name: 'secret_hash' },
  },
})
