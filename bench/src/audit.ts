import { createHash, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ChainEntry, nextEntry, openDatabase, readChain, verifyStoredChain } from '@clavis/agent'
import type { TargetedResult } from './access'
import type { BenchResult } from './measure'

const ENTRIES = 1_000_000
const BATCH = 10_000
const RUNS = 3

/** The parts of better-sqlite3's connection (TypeORM's `driver.databaseConnection`) used to build the trail. */
interface RawSqlite {
  pragma(source: string): unknown
  prepare(source: string): {
    run(...params: unknown[]): unknown
    iterate(...params: unknown[]): IterableIterator<unknown>
  }
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void
}

/** A small deterministic generator (mulberry32), so the trail is the same each run. */
function seeded(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
    hex: (n: number) => {
      let s = ''
      while (s.length < n)
        s += Math.floor(next() * 0x100000000)
          .toString(16)
          .padStart(8, '0')
      return s.slice(0, n)
    },
  }
}

/**
 * A hospital's trail as the agent writes it: mostly FHIR reads (`record.read`: searches with 5–20
 * `Type/id`, one in four a read of one) by ~200 clinicians of ~5,000 patients, and every tenth
 * entry an access decision followed by its token, 50 ms apart. Events in the shape of
 * `AuditEvent`, chained with the agent's own
 * `nextEntry` (canonical JSON, SHA-256 link).
 */
function* trailEvents(organisationId: string): Generator<{ at: string; event: Record<string, unknown> }> {
  const r = seeded(12)
  const clinicians = Array.from({ length: 200 }, () => `did:ethr:0x7a69:0x02${r.hex(64)}`)
  const patients = Array.from({ length: 5000 }, () => r.hex(32))
  const types = ['Observation', 'Observation', 'Observation', 'Condition', 'Encounter', 'MedicationStatement']
  const start = Date.parse('2026-01-05T08:00:00.000Z')
  let session = { tokenId: randomUUID(), clinicianDid: r.pick(clinicians), patientId: r.pick(patients) }
  for (let i = 0; ; i++) {
    const at = new Date(start + i * 50).toISOString()
    if (i % 10 === 0) {
      session = { tokenId: randomUUID(), clinicianDid: r.pick(clinicians), patientId: r.pick(patients) }
      yield {
        at,
        event: {
          kind: 'access.decided',
          organisationId,
          ...session,
          tokenId: undefined,
          permitted: true,
          checks: {
            licence: { passed: true },
            grant: { passed: true },
            holder: { passed: true },
            status: { passed: true },
          },
          licenceId: `urn:uuid:${randomUUID()}`,
          grantId: `urn:uuid:${randomUUID()}`,
          purposeOfUse: 'TREAT',
          breakGlass: false,
        },
      }
      continue
    }
    if (i % 10 === 1) {
      yield {
        at,
        event: {
          kind: 'access.token_issued',
          organisationId,
          ...session,
          scopes: ['patient/Condition.rs', 'patient/Observation.rs'],
          expiresAt: new Date(start + i * 50 + 60_000).toISOString(),
          purposeOfUse: 'TREAT',
          breakGlass: false,
        },
      }
      continue
    }
    const type = r.pick(types)
    const search = r.int(0, 3) > 0
    const prefix =
      type === 'Observation' ? 'obs' : type === 'Condition' ? 'cond' : type.slice(0, 3).toLowerCase()
    yield {
      at,
      event: {
        kind: 'record.read',
        organisationId,
        ...session,
        interaction: search ? 'search' : 'read',
        resourceType: type,
        resources: Array.from(
          { length: search ? r.int(5, 20) : 1 },
          () => `${type}/${prefix}-${session.patientId.slice(0, 8)}-${r.hex(8)}`,
        ),
        ...(search ? { parameters: ['_count', '_sort', 'patient'] } : {}),
        purposeOfUse: 'TREAT',
        breakGlass: false,
      },
    }
  }
}

/**
 * `audit-verify-1m`: a hospital's hash-chained audit trail of 1,000,000 entries, in a SQLite
 * database made by the agent's own migrations (built with raw prepared statements in batched
 * transactions), verified as the agent does (`verifyStoredChain`: keyset reads of 10,000, each
 * entry's link and hash checked). Median of 3 runs (target ≤ 10 s); the baseline is SHA-256
 * (node:crypto) of the same 1,000,000 hash inputs (domain, previous hash, seq, stored data) in
 * memory: ratio = verify time ÷ hashing time. Also the time of reading the chain alone.
 *
 * @example
 * await measureAuditVerify({ progress, results })
 */
export async function measureAuditVerify(options: {
  progress: (message: string) => void
  results: BenchResult[]
}): Promise<void> {
  const { progress, results } = options
  const dir = mkdtempSync(join(tmpdir(), 'clavis-bench-audit-'))
  const db = await openDatabase({ type: 'sqlite', path: join(dir, 'clavis.sqlite') })
  try {
    const chain = randomUUID()
    const raw = (db.driver as unknown as { databaseConnection: RawSqlite }).databaseConnection
    progress(`building an audit trail of ${ENTRIES.toLocaleString('en')} chained entries (data in ${dir})`)
    const insert = raw.prepare(
      'INSERT INTO clavis_audit_entry (chain, seq, at, kind, patient_id, data, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    const insertBatch = raw.transaction((rows: [ChainEntry, string, string, string | null][]) => {
      for (const [e, at, kind, patientId] of rows)
        insert.run(chain, e.seq, at, kind, patientId, e.data, e.prev, e.hash)
    })
    const t0 = performance.now()
    const events = trailEvents(chain)
    let previous: ChainEntry | undefined
    let bytes = 0
    for (let done = 0; done < ENTRIES; ) {
      const rows: [ChainEntry, string, string, string | null][] = []
      for (let i = 0; i < BATCH && done + i < ENTRIES; i++) {
        const { at, event } = events.next().value!
        previous = nextEntry(previous, at, event)
        bytes += previous.data.length
        rows.push([previous, at, event.kind as string, event.patientId as string])
      }
      insertBatch(rows)
      done += rows.length
      if (done % 100_000 === 0)
        progress(`  ${done.toLocaleString('en')} entries (${((performance.now() - t0) / 1000).toFixed(1)} s)`)
    }
    progress(
      `built in ${((performance.now() - t0) / 1000).toFixed(1)} s; data ${(bytes / ENTRIES).toFixed(0)} characters an entry on average`,
    )
    raw.pragma('wal_checkpoint(TRUNCATE)')

    const verifySeconds: number[] = []
    const readSeconds: number[] = []
    const hashSeconds: number[] = []
    for (let run = 0; run < RUNS; run++) {
      let t = performance.now()
      const verdict = await verifyStoredChain(db, chain)
      verifySeconds.push((performance.now() - t) / 1000)
      if (!verdict.ok || verdict.count !== ENTRIES)
        throw new Error(`the trail did not verify: ${JSON.stringify(verdict)}`)

      // Where the time goes: the same reads without checking, and SHA-256 of the same hash
      // inputs in memory (read first, batch by batch, not timed).
      t = performance.now()
      let read = 0
      for await (const batch of readChain(db, chain)) read += batch.length
      readSeconds.push((performance.now() - t) / 1000)
      if (read !== ENTRIES) throw new Error(`read ${read} entries`)

      let hashing = 0
      const rows = raw.prepare('SELECT seq, data, prev FROM clavis_audit_entry WHERE chain = ? ORDER BY seq')
      let inputs: string[] = []
      const hashAll = () => {
        const h0 = performance.now()
        for (const input of inputs) createHash('sha256').update(input).digest('hex')
        hashing += performance.now() - h0
        inputs = []
      }
      for (const row of rows.iterate(chain) as IterableIterator<{
        seq: number
        data: string
        prev: string
      }>) {
        inputs.push(`clavis-audit-v1\n${row.prev}\n${row.seq}\n${row.data}`)
        if (inputs.length === BATCH) hashAll()
      }
      hashAll()
      hashSeconds.push(hashing / 1000)
      progress(
        `  run ${run + 1}: verify ${verifySeconds.at(-1)!.toFixed(2)} s, read alone ${readSeconds.at(-1)!.toFixed(2)} s, SHA-256 alone ${hashSeconds.at(-1)!.toFixed(2)} s`,
      )
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
    const seconds = median(verifySeconds)
    const result: TargetedResult & { readSeconds: number; hashSeconds: number } = {
      name: 'audit-verify-1m',
      opsPerSec: ENTRIES / seconds,
      baseline: 'time-of-raw-sha256-1m',
      ratio: median(verifySeconds.map((v, i) => v / hashSeconds[i]!)),
      seconds,
      target: '≤ 10 s',
      readSeconds: median(readSeconds),
      hashSeconds: median(hashSeconds),
    }
    results.push(result)
  } finally {
    await db.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
}
