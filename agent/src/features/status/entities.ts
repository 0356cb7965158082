import { EntitySchema } from 'typeorm'
import { idColumn, isoTimeColumn } from '../../db/columns'

// The tables this slice owns: row types and TypeORM schemas (migrations: db/migration-*).

/** A group of status lists sharing one index space. */
export interface StatusGroupRow {
  id: string
  organisationId: string
  issuerDid: string
  format: 'bitstring' | 'token'
  size: number
  bits: number
  full: boolean
  version: number
  createdAt: string
}

/** A status list a DID uploaded (a patient's grant list), served as uploaded. */
export interface UploadedListRow {
  id: string
  issuerDid: string
  name: string
  jwt: string
  issuedAt: number
  updatedAt: string
}

export const StatusGroupEntity = new EntitySchema<StatusGroupRow>({
  name: 'clavis_status_group',
  columns: {
    id: idColumn,
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    issuerDid: { type: 'varchar', length: 256, name: 'issuer_did' },
    format: { type: 'varchar', length: 16 },
    size: { type: 'integer' },
    bits: { type: 'integer' },
    full: { type: 'boolean', default: false },
    version: { type: 'integer', default: 0 },
    createdAt: { ...isoTimeColumn, name: 'created_at' },
  },
})

export const UploadedListEntity = new EntitySchema<UploadedListRow>({
  name: 'clavis_uploaded_list',
  columns: {
    id: idColumn,
    issuerDid: { type: 'varchar', length: 256, name: 'issuer_did' },
    name: { type: 'varchar', length: 64 },
    jwt: { type: 'text' },
    // bigint on PostgreSQL, which the driver returns as a string.
    issuedAt: {
      type: 'integer',
      name: 'issued_at',
      transformer: { from: (v: string | number) => Number(v), to: (v: number) => v },
    },
    updatedAt: { ...isoTimeColumn, name: 'updated_at' },
  },
})
