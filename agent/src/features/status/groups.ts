import { randomBytes, randomInt } from 'node:crypto'
import { type BitstringListFormat, MIN_LIST_ENTRIES, type StatusPurpose } from '@clavis/status'
import type { EntityManager } from 'typeorm'
import type { AgentContext } from '../../context'
import { isUniqueViolation } from '../../db/sql'
import { nowIso } from '../../util/ids'
import { StatusGroupEntity, type StatusGroupRow } from './entities'

/** Entries per status list (the W3C minimum, for herd privacy). */
export const STATUS_LIST_ENTRIES = MIN_LIST_ENTRIES
/** Which list format a credential format uses (VC 1.1 and VC 2.0 JWT-VCs share a group's bitstrings). */
export const LIST_FORMAT = { jwt_vc: 'bitstring', 'vc+jwt': 'bitstring', 'dc+sd-jwt': 'token' } as const
/** The credential formats the agent issues. */
export type CredentialFormat = keyof typeof LIST_FORMAT
/** A group is closed for new credentials once this share of its entries is taken. */
const FULL_SHARE = 0.75

/**
 * The lists of a group, by name (`/v1/status-lists/{group}/{name}`). A bitstring group has one index
 * space and each purpose's bits published twice, secured as the credentials that read them are
 * (Bitstring Status List v1.0 §3.6): a VC 1.1 JWT (`application/jwt`) for `jwt_vc` credentials and a
 * VC-JOSE-COSE `vc+jwt` (`application/vc+jwt`) for VC 2.0 ones. A token group has one list.
 */
export const LISTS = {
  revocation: { group: 'bitstring', purpose: 'revocation', format: 'jwt_vc', mediaType: 'application/jwt' },
  suspension: { group: 'bitstring', purpose: 'suspension', format: 'jwt_vc', mediaType: 'application/jwt' },
  'revocation-vc2': {
    group: 'bitstring',
    purpose: 'revocation',
    format: 'vc+jwt',
    mediaType: 'application/vc+jwt',
  },
  'suspension-vc2': {
    group: 'bitstring',
    purpose: 'suspension',
    format: 'vc+jwt',
    mediaType: 'application/vc+jwt',
  },
  token: { group: 'token', mediaType: 'application/statuslist+jwt' },
} as const satisfies Record<
  string,
  {
    group: StatusGroupRow['format']
    purpose?: StatusPurpose
    format?: BitstringListFormat
    mediaType: string
  }
>

/** The name of one of a group's lists. */
export type ListName = keyof typeof LISTS

/** Whether `name` is one of the lists a group may have. */
export function isListName(name: string): name is ListName {
  return Object.hasOwn(LISTS, name)
}

/** The public URL of one list of a group. */
export function listUrl(ctx: AgentContext, groupId: string, name: ListName): string {
  return `${ctx.publicUrl}/v1/status-lists/${groupId}/${name}`
}

/** The names of the lists a credential of `format` in a group references, in its entries' order. */
function listNamesFor(format: CredentialFormat): ListName[] {
  if (format === 'dc+sd-jwt') return ['token']
  return format === 'vc+jwt' ? ['revocation-vc2', 'suspension-vc2'] : ['revocation', 'suspension']
}

/**
 * The public URLs of the lists a credential of `format` references (bitstring: revocation, then
 * suspension), or without `format` every list of the group.
 */
export function listUrls(
  ctx: AgentContext,
  group: Pick<StatusGroupRow, 'id' | 'format'>,
  format?: CredentialFormat,
): string[] {
  const names =
    format === undefined
      ? (Object.keys(LISTS) as ListName[]).filter((name) => LISTS[name].group === group.format)
      : listNamesFor(format)
  return names.map((name) => listUrl(ctx, group.id, name))
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
  try {
    await repo.insert(row)
  } catch (e) {
    // A concurrent issuance opened one first (one open group per issuer and format): use it.
    if (!isUniqueViolation(e)) throw e
    const theirs = await repo.findOne({
      where: {
        organisationId: options.organisationId,
        issuerDid: options.issuerDid,
        format: options.format,
        full: false,
      },
    })
    if (!theirs) throw e
    return theirs
  }
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
