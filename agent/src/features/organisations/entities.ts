import { EntitySchema } from 'typeorm'
import { idColumn, isoTimeColumn } from '../../db/columns'

// The tables this slice owns: row types and TypeORM schemas (migrations: db/migration-*).

/** An organisation (board or hospital) with its DID. */
export interface OrganisationRow {
  id: string
  name: string
  kind: 'board' | 'hospital'
  did: string
  status: 'active' | 'deactivated'
  createdAt: string
}

/** A hashed API token: staff of one organisation, or the operator (admin). */
export interface ApiTokenRow {
  id: string
  organisationId: string | null
  role: 'admin' | 'staff'
  tokenHash: string
  createdAt: string
  revokedAt: string | null
}

export const OrganisationEntity = new EntitySchema<OrganisationRow>({
  name: 'clavis_organisation',
  columns: {
    id: idColumn,
    name: { type: 'varchar', length: 200 },
    kind: { type: 'varchar', length: 16 },
    did: { type: 'varchar', length: 256, unique: true },
    status: { type: 'varchar', length: 16 },
    createdAt: { ...isoTimeColumn, name: 'created_at' },
  },
})

export const ApiTokenEntity = new EntitySchema<ApiTokenRow>({
  name: 'clavis_api_token',
  columns: {
    id: idColumn,
    organisationId: { type: 'varchar', length: 64, nullable: true, name: 'organisation_id' },
    role: { type: 'varchar', length: 16 },
    tokenHash: { type: 'varchar', length: 64, unique: true, name: 'token_hash' },
    createdAt: { ...isoTimeColumn, name: 'created_at' },
    revokedAt: { ...isoTimeColumn, nullable: true, name: 'revoked_at' },
  },
})
