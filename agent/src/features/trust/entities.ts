import { EntitySchema } from 'typeorm'
import { idColumn, isoTimeColumn } from '../../db/columns'

// The tables this slice owns: row types and TypeORM schemas (migrations: db/migration-*).

/** One trust-list entry: this organisation accepts `issuerDid` as issuer of `credentialType`. */
export interface TrustEntryRow {
  id: string
  organisationId: string
  issuerDid: string
  credentialType: string
  createdAt: string
}

export const TrustEntryEntity = new EntitySchema<TrustEntryRow>({
  name: 'clavis_trust_entry',
  columns: {
    id: idColumn,
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    issuerDid: { type: 'varchar', length: 256, name: 'issuer_did' },
    credentialType: { type: 'varchar', length: 64, name: 'credential_type' },
    createdAt: { ...isoTimeColumn, name: 'created_at' },
  },
  uniques: [{ name: 'uq_trust', columns: ['organisationId', 'issuerDid', 'credentialType'] }],
})
