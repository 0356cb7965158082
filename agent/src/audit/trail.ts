import type { DataSource, EntityManager } from 'typeorm'
import { placeholders } from '../db/sql'
import { type RawSqlite, sqliteExclusive } from '../db/sqlite-serial'
import type { AuditEvent, AuditPort, TrailPort } from './audit'
import { type ChainEntry, type ChainVerification, ChainVerifier, GENESIS_HASH, nextEntry } from './chain'

/** The chain of what no organisation did (admin actions, anonymous verifications, wallets' lists). */
export const AGENT_CHAIN = ''

/** Which organisation's trail an event belongs to. */
export function chainOf(event: AuditEvent): string {
  if ('organisationId' in event) return event.organisationId
  if (event.kind === 'verification.decided') return event.verifier ?? AGENT_CHAIN
  return AGENT_CHAIN
}

const patientOf = (event: AuditEvent): string | null =>
  'patientId' in event && typeof event.patientId === 'string' ? event.patientId : null

/** A constant that names Clavis's audit appends among PostgreSQL advisory locks. */
const PG_LOCK_CLASS = 0x41554454 // 'AUDT'

/**
 * Appends one event to its organisation's chain, inside `manager`'s transaction when given (so a
 * change and its record commit together) or a transaction of its own. Appends to one chain take
 * turns: on SQLite every transaction does (one connection, ADR 0013); on PostgreSQL an advisory
 * lock per chain, held to COMMIT, does (READ COMMITTED: the tip is read after the lock is held).
 * The primary key (chain, seq) turns any race into an error, never a fork.
 */
export async function appendAudit(
  db: DataSource,
  event: AuditEvent,
  options: { manager?: EntityManager; at?: string } = {},
): Promise<ChainEntry> {
  const work = async (m: EntityManager) => {
    const chain = chainOf(event)
    if (db.options.type === 'postgres')
      await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PG_LOCK_CLASS, chain])
    const tip = await readTip(m, chain)
    const entry = nextEntry(
      tip.size > 0 ? { seq: tip.size, hash: tip.head } : undefined,
      options.at ?? new Date().toISOString(),
      event as never,
    )
    // Raw and parameterised: one prepared statement for every append (TypeORM would inline seq).
    await m.query(
      `INSERT INTO clavis_audit_entry (chain, seq, at, kind, patient_id, data, prev, hash) VALUES (${placeholders(m, 8)})`,
      [
        chain,
        entry.seq,
        JSON.parse(entry.data).at,
        event.kind,
        patientOf(event),
        entry.data,
        entry.prev,
        entry.hash,
      ],
    )
    return entry
  }
  return options.manager ? work(options.manager) : db.transaction(work)
}

/** The last entry of a chain: its size (= its seq) and head hash; 0 and 64 zeros when empty. */
export async function readTip(
  db: DataSource | EntityManager,
  chain: string,
): Promise<{ size: number; head: string }> {
  const [tip] = (await db.query(
    `SELECT seq, hash FROM clavis_audit_entry WHERE chain = ${placeholders(db, 1)} ORDER BY seq DESC LIMIT 1`,
    [chain],
  )) as { seq: number | string; hash: string }[]
  return tip ? { size: Number(tip.seq), head: tip.hash } : { size: 0, head: GENESIS_HASH }
}

/**
 * The hash-chained trail in the database as an audit port: `record` appends in a transaction of
 * its own, `recordIn` in the caller's; both throw when they cannot append. `also` hears every
 * event appended (a test's memory).
 */
export function databaseAudit(db: DataSource, also?: AuditPort): TrailPort {
  return {
    async record(event) {
      await appendAudit(db, event)
      await also?.record(event)
    },
    async recordIn(manager, event) {
      await appendAudit(db, event, { manager })
      await also?.record(event)
    },
  }
}

/** Entries read per query while verifying or exporting (bounded memory, short reads). */
const BATCH = 10_000

/** A chain's entries in order, `batch` at a time (keyset pages, so a long read never holds a lock). */
export async function* readChain(
  db: DataSource,
  chain: string,
  options: { afterSeq?: number; batch?: number } = {},
): AsyncGenerator<ChainEntry[]> {
  let after = options.afterSeq ?? 0
  const size = options.batch ?? BATCH
  const [a, b] = placeholders(db, 2).split(', ')
  const sql = `SELECT seq, data, prev, hash FROM clavis_audit_entry WHERE chain = ${a} AND seq > ${b} ORDER BY seq LIMIT ${size}`
  // SQLite: a prepared statement run on the connection alone (one batch at a time, others' statements between).
  const exclusive = sqliteExclusive(db)
  let statement: ReturnType<RawSqlite['prepare']> | undefined
  const read = (): Promise<ChainEntry[]> =>
    exclusive
      ? exclusive((raw) => {
          statement ??= raw.prepare(sql)
          return statement.all(chain, after) as ChainEntry[]
        })
      : (db.query(sql, [chain, after]) as Promise<ChainEntry[]>)
  for (;;) {
    const rows = await read()
    if (rows.length === 0) return
    // PostgreSQL returns bigint as text.
    for (const r of rows) r.seq = Number(r.seq)
    yield rows
    after = rows.at(-1)!.seq
    if (rows.length < size) return
  }
}

/**
 * Verifies a chain as stored, from its first entry, against the heads signed checkpoints name:
 * finds an altered, removed, reordered or replaced entry, and a log rewritten or cut short since a
 * checkpoint. `onProgress` hears the count every batch.
 */
export async function verifyStoredChain(
  db: DataSource,
  chain: string,
  options: {
    expectHeads?: readonly { seq: number; hash: string }[]
    onProgress?: (checked: number) => void
  } = {},
): Promise<ChainVerification> {
  const verifier = new ChainVerifier({ expectHeads: options.expectHeads })
  let checked = 0
  for await (const batch of readChain(db, chain)) {
    checked += batch.length
    options.onProgress?.(checked)
    if (!verifier.push(batch)) break
  }
  return verifier.finish()
}
