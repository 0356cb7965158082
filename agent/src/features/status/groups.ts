import { randomBytes, randomInt } from 'node:crypto'
import { MIN_LIST_ENTRIES } from '@clavis/status'
import type { EntityManager } from 'typeorm'
import type { AgentContext } from '../../context'
import { nowIso } from '../../util/ids'
import { StatusGroupEntity, type StatusGroupRow } from './entities'

/** Entries per status list (the W3C minimum, for herd privacy). */
export const STATUS_LIST_ENTRIES = MIN_LIST_ENTRIES
/** Which list format a credential format uses. */
export const LIST_FORMAT = { jwt_vc: 'bitstring', 'dc+sd-jwt': 'token' } as const
/** A group is closed for new credentials once this share of its entries is taken. */
const FULL_SHARE = 0.75

/** The public URLs of a group's lists. */
export function listUrls(ctx: AgentContext, group: Pick<StatusGroupRow, 'id' | 'format'>): string[] {
  const base = `${ctx.publicUrl}/v1/status-lists/${group.id}`
  return group.format === 'bitstring' ? [`${base}/revocation`, `${base}/suspension`] : [`${base}/token`]
}

/** The open status group of an organisation for a list format, created when there is none. */
export async function openGroup(
  _ctx: AgentContext,
  m: EntityManager,
  options: { organisationId: string; issuerDid: string; format: 'bitstring' | 'token' },
): Promise<StatusGroupRow> {
  const repo = m.getRepository(StatusGroupEntity)
  const open = await repo.findOne({
    where: {
      organisationId: options.organisationId,
      issuerDid: options.issuerDid,
      format: options.format,
      full: false,
    },
    order: { createdAt: 'ASC' },
  })
  if (open) return open
  const row: StatusGroupRow = {
    id: randomBytes(12).toString('base64url'),
    organisationId: options.organisationId,
    issuerDid: options.issuerDid,
    format: options.format,
    size: STATUS_LIST_ENTRIES,
    bits: options.format === 'bitstring' ? 1 : 2,
    full: false,
    version: 0,
    createdAt: nowIso(),
  }
  await repo.insert(row)
  return row
}

/** A random index in a group (never the same twice: the database's unique slot index enforces it). */
export function randomIndex(size: number): number {
  return randomInt(0, size)
}

/** Marks a group full when enough of it is taken (called after collisions, rarely). */
export async function closeGroupIfFull(
  m: EntityManager,
  group: StatusGroupRow,
  taken: number,
): Promise<void> {
  if (taken >= group.size * FULL_SHARE) {
    await m.getRepository(StatusGroupEntity).update({ id: group.id }, { full: true })
  }
}
