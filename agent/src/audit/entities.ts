import { EntitySchema } from 'typeorm'
import { isoTimeColumn } from '../db/columns'

// The audit trail's tables (migration 010; ADR 0029, 0030).

/** One audit entry as stored: `data` is exactly the text that was hashed. */
export interface AuditEntryRow {
  /** The organisation whose trail this is; '' for what no organisation did (admin, anonymous). */
  chain: string
  seq: number
  at: string
  kind: string
  /** The patient the entry concerns (their access report reads by it), if any. */
  patientId: string | null
  data: string
  prev: string
  hash: string
}

export const AuditEntryEntity = new EntitySchema<AuditEntryRow>({
  name: 'clavis_audit_entry',
  columns: {
    chain: { type: 'varchar', length: 64, primary: true },
    seq: { type: 'bigint', primary: true, transformer: { to: (v) => v, from: (v) => Number(v) } },
    at: isoTimeColumn,
    kind: { type: 'varchar', length: 48 },
    patientId: { type: 'varchar', length: 64, nullable: true, name: 'patient_id' },
    data: { type: 'text' },
    prev: { type: 'varchar', length: 64 },
    hash: { type: 'varchar', length: 64 },
  },
})

/** A signed statement of a trail's size and head hash (a JWT by the organisation's DID). */
export interface AuditCheckpointRow {
  chain: string
  size: number
  head: string
  jwt: string
  at: string
}

export const AuditCheckpointEntity = new EntitySchema<AuditCheckpointRow>({
  name: 'clavis_audit_checkpoint',
  columns: {
    chain: { type: 'varchar', length: 64, primary: true },
    size: { type: 'bigint', primary: true, transformer: { to: (v) => v, from: (v) => Number(v) } },
    head: { type: 'varchar', length: 64 },
    jwt: { type: 'text' },
    at: isoTimeColumn,
  },
})
