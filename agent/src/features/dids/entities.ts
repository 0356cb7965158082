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
export type DidOperationKind =
  | 'rotate'
  | 'add-service'
  | 'add-key'
  | 'revoke-key'
  | 'deactivate'
  | 'add-assertion-key'

/**
 * Where an assertion key stands: `active` signs (one per organisation); `retired` (a routine
 * rotation replaced it: private key deleted, still published on chain until `publishedUntil`, so
 * what it signed keeps verifying); `revoked` (a compromise rotation or a deactivation ended it on
 * chain: what it signed no longer verifies).
 */
export type AssertionKeyState = 'active' | 'retired' | 'revoked'

/**
 * A key an organisation signs credentials and status lists with (ADR 0024): a secp256k1 key
 * published on chain as the attribute `did/pub/Secp256k1/veriKey/hex`, so that the DID document
 * lists it (with its public key) for as long as anything it signed may be verified.
 */
export interface AssertionKeyRow {
  id: string
  organisationId: string
  did: string
  /** The key's id in the key store (recorded as `signerKid` on every credential it signs). */
  keyId: string
  /** Compressed, lower-case hex without 0x. */
  publicKeyHex: string
  state: AssertionKeyState
  /** Until when the chain publishes it (the attribute's `validTo`, as the chain holds it). */
  publishedUntil: string
  createdAt: string
  /** When it was retired or revoked. */
  endedAt: string | null
}

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

export const AssertionKeyEntity = new EntitySchema<AssertionKeyRow>({
  name: 'clavis_assertion_key',
  columns: {
    id: idColumn,
    organisationId: { type: 'varchar', length: 64, name: 'organisation_id' },
    did: { type: 'varchar', length: 256 },
    keyId: { type: 'varchar', length: 256, name: 'key_id', unique: true },
    publicKeyHex: { type: 'varchar', length: 130, name: 'public_key_hex' },
    state: { type: 'varchar', length: 16 },
    publishedUntil: { ...isoTimeColumn, name: 'published_until' },
    createdAt: { ...isoTimeColumn, name: 'created_at' },
    endedAt: { ...isoTimeColumn, nullable: true, name: 'ended_at' },
  },
})
