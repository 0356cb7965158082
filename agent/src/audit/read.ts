import type { AuditEntry } from '@clavis/api'
import type { AgentContext } from '../context'
import { entryContent } from './chain'
import { AuditEntryEntity, type AuditEntryRow } from './entities'

/** A page of a chain, oldest first, after `after`; optionally one kind or one patient's entries. */
export async function readAuditPage(
  ctx: AgentContext,
  chain: string,
  query: {
    after?: number | undefined
    limit?: number | undefined
    kind?: string | undefined
    patient?: string | undefined
  },
): Promise<{ entries: AuditEntry[]; next?: number }> {
  const limit = query.limit ?? 100
  const q = ctx.db
    .getRepository(AuditEntryEntity)
    .createQueryBuilder('e')
    .where('e.chain = :chain AND e.seq > :after', { chain, after: query.after ?? 0 })
    .orderBy('e.seq', 'ASC')
    .limit(limit)
  if (query.kind) q.andWhere('e.kind = :kind', { kind: query.kind })
  if (query.patient) q.andWhere('e.patientId = :patient', { patient: query.patient })
  const rows = await q.getMany()
  const entries = rows.map(toAuditEntry)
  return rows.length === limit ? { entries, next: entries.at(-1)!.seq } : { entries }
}

export function toAuditEntry(row: AuditEntryRow): AuditEntry {
  const { at, event } = entryContent(row)
  return { seq: Number(row.seq), at, kind: row.kind, event, prev: row.prev, hash: row.hash }
}
