import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { entryHash } from '../src/audit/chain'
import { useCliKit } from './cli-kit'

// The audit trail (issue #12, ADR 0029/0030): every change of the board is appended to its
// hash-chained trail in the database; verification finds each form of tampering and says where
// (API and `clavis audit verify`); signed checkpoints make a rewrite or truncation detectable; the
// trail exports as FHIR AuditEvent.

const { t, cli, io, file } = useCliKit()
type Row = {
  chain: string
  seq: number
  at: string
  kind: string
  patient_id: string | null
  data: string
  prev: string
  hash: string
}
let original: Row[] = []

const db = () => t.agent.ctx.db
const q = (sql: string, params: unknown[] = []) => {
  // Placeholders: written `?`, numbered for PostgreSQL.
  let n = 0
  const text = t.databaseUrl ? sql.replace(/\?/g, () => `$${++n}`) : sql
  return db().query(text, params)
}
const rows = async (): Promise<Row[]> =>
  ((await q('SELECT * FROM clavis_audit_entry WHERE chain = ? ORDER BY seq', [t.board.id])) as Row[]).map(
    (r) => ({ ...r, seq: Number(r.seq) }),
  )
async function restore() {
  await q('DELETE FROM clavis_audit_entry WHERE chain = ?', [t.board.id])
  for (const r of original)
    await q(
      'INSERT INTO clavis_audit_entry (chain, seq, at, kind, patient_id, data, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [r.chain, r.seq, r.at, r.kind, r.patient_id, r.data, r.prev, r.hash],
    )
}
const verify = async (checkpoints: string[] = []) =>
  (
    await t.request('POST', `/v1/organisations/${t.board.id}/audit/verify`, {
      token: t.board.token,
      body: { checkpoints },
    })
  ).body as {
    ok: boolean
    count: number
    problem?: { code: string; seq: number; message: string }
    checkpoints: { size: number; verified: boolean; reason?: string }[]
  }

beforeAll(async () => {
  // Some history: trust edits, offers, issued credentials.
  for (let i = 0; i < 4; i++) {
    await t.request('POST', `/v1/organisations/${t.board.id}/trust`, {
      token: t.board.token,
      body: { issuer: t.hospital.did, types: ['PatientIdentityCredential'] },
    })
    await t.request('DELETE', `/v1/organisations/${t.board.id}/trust/${encodeURIComponent(t.hospital.did)}`, {
      token: t.board.token,
    })
  }
  original = await rows()
  expect(original.length).toBeGreaterThanOrEqual(9)
})
beforeEach(restore)

describe('audit trail: hash chain in the database, verified, checkpointed, exported', () => {
  it('every entry links to the one before; the API reads it in order with identifiers and codes only', async () => {
    for (const [i, r] of original.entries()) {
      expect(r.seq).toBe(i + 1)
      expect(r.hash).toBe(entryHash(r.prev, r.seq, r.data))
      if (i > 0) expect(r.prev).toBe(original[i - 1]!.hash)
    }
    const page = (
      await t.request('GET', `/v1/organisations/${t.board.id}/audit?limit=3`, { token: t.board.token })
    ).body as { entries: { seq: number; kind: string; event: { kind: string } }[]; next: number }
    expect(page.entries.map((e) => e.seq)).toEqual([1, 2, 3])
    expect(page.next).toBe(3)
    expect(page.entries[0]!.event.kind).toBe(page.entries[0]!.kind)
    // Another organisation's staff cannot read it.
    expect(
      (await t.request('GET', `/v1/organisations/${t.board.id}/audit`, { token: t.hospital.token })).status,
    ).toBe(403)
    expect(await verify()).toMatchObject({ ok: true, count: original.length })
  })

  it('finds an altered entry, a removed one, reordered ones and a replaced one, and says where', async () => {
    const target = original[4]!
    await q('UPDATE clavis_audit_entry SET data = ? WHERE chain = ? AND seq = ?', [
      target.data.replace('trust.', 'trust_x.'),
      t.board.id,
      target.seq,
    ])
    expect((await verify()).problem).toMatchObject({ code: 'altered', seq: 5 })

    await restore()
    await q('DELETE FROM clavis_audit_entry WHERE chain = ? AND seq = ?', [t.board.id, 6])
    expect((await verify()).problem).toMatchObject({ code: 'missing', seq: 6 })

    await restore()
    // Two entries swap places (their seq exchanged: each keeps its own content and hash).
    await q('UPDATE clavis_audit_entry SET seq = -1 WHERE chain = ? AND seq = 3', [t.board.id])
    await q('UPDATE clavis_audit_entry SET seq = 3 WHERE chain = ? AND seq = 4', [t.board.id])
    await q('UPDATE clavis_audit_entry SET seq = 4 WHERE chain = ? AND seq = -1', [t.board.id])
    const swapped = (await verify()).problem!
    expect(['broken_link', 'reordered']).toContain(swapped.code)
    expect(swapped.seq).toBe(3)

    await restore()
    // An entry replaced by one with a recomputed hash: the next entry no longer follows it.
    const r = original[2]!
    const data = r.data.replace('"at":"', '"at":"1')
    await q('UPDATE clavis_audit_entry SET data = ?, hash = ? WHERE chain = ? AND seq = 3', [
      data,
      entryHash(r.prev, 3, data),
      t.board.id,
    ])
    expect((await verify()).problem).toMatchObject({ code: 'broken_link', seq: 4 })
  })

  it('a log rewritten from an entry on, or cut short, is found against a signed checkpoint', async () => {
    const made = await t.request('POST', `/v1/organisations/${t.board.id}/audit/checkpoints`, {
      token: t.board.token,
    })
    expect(made.status).toBe(201)
    const cp = made.body as { size: number; head: string; jwt: string }
    expect(cp.size).toBe(original.length)
    const published = (await t.request('GET', `/v1/organisations/${t.board.id}/audit/checkpoints`)).body as {
      checkpoints: { jwt: string }[]
    }
    expect(published.checkpoints.map((c) => c.jwt)).toContain(cp.jwt)
    original = await rows()

    // Rewrite every entry from 3 with consistent hashes: only the checkpoint shows it.
    let prev = original[1]!.hash
    for (const r of original.slice(2)) {
      const data = r.data.replace('"at":"', '"at":"0')
      const hash = entryHash(prev, r.seq, data)
      await q('UPDATE clavis_audit_entry SET data = ?, prev = ?, hash = ? WHERE chain = ? AND seq = ?', [
        data,
        prev,
        hash,
        t.board.id,
        r.seq,
      ])
      prev = hash
    }
    expect((await verify()).problem).toMatchObject({ code: 'head_mismatch', seq: cp.size })

    await restore()
    await q('DELETE FROM clavis_audit_entry WHERE chain = ? AND seq > ?', [t.board.id, cp.size - 2])
    expect((await verify()).problem).toMatchObject({ code: 'missing' })

    await restore()
    // The checkpoint rows themselves rewritten too: a checkpoint kept elsewhere still finds it.
    await q('DELETE FROM clavis_audit_checkpoint WHERE chain = ?', [t.board.id])
    await q('DELETE FROM clavis_audit_entry WHERE chain = ? AND seq > ?', [t.board.id, cp.size - 2])
    expect((await verify()).ok).toBe(true)
    expect((await verify([cp.jwt])).problem).toMatchObject({ code: 'missing' })
    // A forged checkpoint (bad signature) is not used, and says why.
    const forged = `${cp.jwt.slice(0, -4)}AAAA`
    const v = await verify([forged])
    expect(v.checkpoints[0]).toMatchObject({ verified: false })
  })

  it('clavis audit verify prints where the trail breaks and exits 1; intact → 0', async () => {
    expect(await cli(['audit', 'verify'])).toBe(0)
    expect(io.out).toMatch(/intact: \d+ entries/)
    io.out = ''
    await q('DELETE FROM clavis_audit_entry WHERE chain = ? AND seq = ?', [t.board.id, 2])
    expect(await cli(['audit', 'verify'])).toBe(1)
    expect(io.out).toMatch(/NOT INTACT at entry 2 \(missing\)/)
    io.out = ''
    await restore()
    const cp = (
      await t.request('POST', `/v1/organisations/${t.board.id}/audit/checkpoints`, { token: t.board.token })
    ).body as { jwt: string }
    expect(await cli(['audit', 'verify', '--checkpoint', file('kept.jwt', cp.jwt)])).toBe(0)
    expect(io.out).toMatch(/\(given\): signature verified/)
  })

  it('appends made at once never fork the chain: 40 concurrent events, one after another in it', async () => {
    await Promise.all(
      Array.from({ length: 40 }, () =>
        t.agent.ctx.trail.record({ kind: 'organisation.token_reset', organisationId: t.board.id }),
      ),
    )
    const after = await rows()
    expect(after.map((r) => r.seq)).toEqual(after.map((_, i) => i + 1))
    expect(after.length).toBe(original.length + 40)
    expect(await verify()).toMatchObject({ ok: true, count: original.length + 40 })
  })

  it('exports as a FHIR Bundle of AuditEvent resources', async () => {
    const res = await t.request('GET', `/v1/organisations/${t.board.id}/audit/fhir?limit=5`, {
      token: t.board.token,
    })
    expect(res.status).toBe(200)
    const bundle = res.body as {
      resourceType: string
      entry: { resource: { resourceType: string; id: string; recorded: string } }[]
      link?: { relation: string }[]
    }
    expect(bundle.resourceType).toBe('Bundle')
    expect(bundle.entry).toHaveLength(5)
    expect(bundle.entry.every((e) => e.resource.resourceType === 'AuditEvent')).toBe(true)
    expect(bundle.entry[0]!.resource.id).toBe('clavis-audit-1')
    expect(bundle.link?.some((l) => l.relation === 'next')).toBe(true)
  })
})
