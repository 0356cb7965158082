import type { DataSource } from 'typeorm'
import { isPostgres, isUniqueViolation, placeholders } from '../../db/sql'
import type { IssuedCredentialRow } from './entities'

const COLUMNS = [
  'id',
  'organisation_id',
  'type',
  'issuer_did',
  'subject_did',
  'signer_kid',
  'jwt',
  'issued_at',
  'valid_from',
  'valid_until',
  'reissue_required',
  'format',
  'status_group',
  'status_index',
  'status',
  'idempotency_key',
  'request_hash',
] as const
const MAX_BATCH = 64

const values = (r: IssuedCredentialRow, postgres: boolean) => [
  r.id,
  r.organisationId,
  r.type,
  r.issuerDid,
  r.subjectDid,
  r.signerKid,
  r.jwt,
  r.issuedAt,
  r.validFrom,
  r.validUntil,
  postgres ? r.reissueRequired : Number(r.reissueRequired),
  r.format,
  r.statusGroup,
  r.statusIndex,
  r.status,
  r.idempotencyKey,
  r.requestHash,
]

interface Pending {
  row: IssuedCredentialRow
  resolve: (stored: boolean) => void
  reject: (e: unknown) => void
}

/**
 * Writes issued credentials with group commit: rows that arrive while a write is in flight go
 * into the next single multi-row `INSERT … ON CONFLICT DO NOTHING` (one round trip and one commit
 * for the batch). `insert` resolves false when the row's status slot (or id) was already taken, so
 * the caller re-draws; the database's unique index is what guarantees an index is never given out
 * twice, across processes too.
 *
 * @example
 * const writer = createCredentialWriter(db)
 * if (!(await writer.insert(row))) retryWithAnotherIndex()
 */
export function createCredentialWriter(db: DataSource) {
  const postgres = isPostgres(db)
  let queue: Pending[] = []
  let writing = false

  const rowsOf = (rows: number) =>
    Array.from({ length: rows }, (_, i) => `(${placeholders(db, COLUMNS.length, i * COLUMNS.length)})`).join(
      ', ',
    )

  async function writeBatch(batch: Pending[]): Promise<void> {
    const sql = `INSERT INTO clavis_issued_credential (${COLUMNS.join(', ')}) VALUES `
    if (batch.length === 1) {
      const p = batch[0]!
      try {
        await db.query(sql + rowsOf(1), values(p.row, postgres))
        p.resolve(true)
      } catch (e) {
        if (isUniqueViolation(e)) p.resolve(false)
        else p.reject(e)
      }
      return
    }
    try {
      await db.query(
        `${sql}${rowsOf(batch.length)} ON CONFLICT DO NOTHING`,
        batch.flatMap((p) => values(p.row, postgres)),
      )
      const ids = batch.map((p) => p.row.id)
      const marks = placeholders(db, ids.length)
      const landed: { id: string; jwt: string }[] = await db.query(
        `SELECT id, jwt FROM clavis_issued_credential WHERE id IN (${marks})`,
        ids,
      )
      const mine = new Map(landed.map((r) => [r.id, r.jwt]))
      for (const p of batch) p.resolve(mine.get(p.row.id) === p.row.jwt)
    } catch (e) {
      for (const p of batch) p.reject(e)
    }
  }

  async function drain(): Promise<void> {
    writing = true
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, MAX_BATCH)
        queue = queue.slice(batch.length)
        await writeBatch(batch)
      }
    } finally {
      writing = false
    }
  }

  return {
    insert(row: IssuedCredentialRow): Promise<boolean> {
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ row, resolve, reject })
        if (!writing) void drain()
      })
    },
  }
}

/** The agent's credential writer. */
export type CredentialWriter = ReturnType<typeof createCredentialWriter>
