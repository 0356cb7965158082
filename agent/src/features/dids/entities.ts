import { EntitySchema } from 'typeorm'
import { idColumn, isoTimeColumn } from '../../db/columns'

// The tables this slice owns: row types and TypeORM schemas (migrations: db/migration-*).

/** A change an organisation made to its DID (audit trail; never claim values). */
export interface DidEventRow {
  id: string
  organisationId: string
  kind: string
  detail: string
  txHash: string | null
  at: string
}

/** What a DID operation does. */
export type DidOperationKind = 'rotate' | 'add-service' | 'add-key' | 'revoke-key' | 'deactivate'

/**
 * A change to an organisation's DID that spans the chain, the database and the key store, written
 * before any of it happens and advanced step by step (again at start-up after a crash) until done.
 * `pending`: the chain may or may not hold it yet; `committed`: chain and database hold it, keys
 * the chain no longer names may still need deleting; `done`.
 */
export interface DidOperationRow {
  id: string
  organisationId: string
  kind: DidOperationKind
  /** JSON: what the operation needs to complete (key ids, addresses, the service…), no secrets. */
  params: string
  state: 'pending' | 'committed' | 'done'
  /** JSON: what it answered (transaction hashes, …), once committed. */
  result: string | null
  createdAt: string
  updatedAt: string
}

export const DidEventEntity = new EntitySchema<DidEventRow>({
  name: 'clavis_did_event',
  columns: {
    id: idColumn,
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    kind: { type: 'varchar', length: 32 },
    detail: { type: 'text' },
    txHash: { type: 'varchar', length: 80, nullable: true, name: 'tx_hash' },
    at: isoTimeColumn,
  },
})

export const DidOperationEntity = new EntitySchema<DidOperationRow>({
  name: 'clavis_did_operation',
  columns: {
    id: idColumn,
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    kind: { type: 'varchar', length: 32 },
    params: { type: 'text' },
    state: { type: 'varchar', length: 16 },
    result: { type: 'text', nullable: true },
    createdAt: { ...isoTimeColumn, name: 'created_at' },
    updatedAt: { ...isoTimeColumn, name: 'updated_at' },
  },
})
