import { base64urlJson, parseBase64urlJson } from '@clavis/crypto'
import { ClavisError } from '@clavis/errors'
import { verifyByDidUrl } from '@clavis/verify'
import type { AgentContext } from '../context'
import { OrganisationEntity } from '../features/organisations/entities'
import { AuditCheckpointEntity, type AuditCheckpointRow, AuditEntryEntity } from './entities'
import { AGENT_CHAIN, readTip } from './trail'

/** The JWT `typ` of a signed audit checkpoint (ADR 0030). */
export const CHECKPOINT_TYP = 'clavis-audit-checkpoint+jwt'

/** What a checkpoint commits to: an organisation's trail and the agent's own, each by size and head. */
export interface CheckpointClaims {
  iss: string
  sub: string
  iat: number
  audit: { chain: string; size: number; head: string }
  agentAudit: { size: number; head: string }
}

/**
 * Signs a checkpoint of an organisation's trail with its DID's assertion key: the size and head of
 * its chain and of the agent's chain, now. Nothing new since the last one → that one is returned.
 * Kept in the database and served publicly, so that wallets and partners can keep copies: a log
 * rewritten or cut short after a checkpoint someone holds no longer matches it.
 */
export async function signCheckpoint(ctx: AgentContext, organisationId: string): Promise<AuditCheckpointRow> {
  const org = await ctx.db.getRepository(OrganisationEntity).findOneBy({ id: organisationId })
  if (!org) throw new ClavisError({ code: 'not_found', message: `No organisation "${organisationId}".` })
  const [own, agent, last] = await Promise.all([
    readTip(ctx.db, org.id),
    readTip(ctx.db, AGENT_CHAIN),
    latestCheckpoint(ctx, org.id),
  ])
  // Nothing new but reads of the report since the last checkpoint: that one still holds.
  if (last && (last.size === own.size || (await onlyReportReadsSince(ctx, org.id, last.size)))) return last
  const signer = await ctx.signingKeys.signerFor(org.did)
  const claims: CheckpointClaims = {
    iss: org.did,
    sub: `${ctx.publicUrl}/v1/organisations/${org.id}/audit`,
    iat: Math.floor(Date.now() / 1000),
    audit: { chain: org.id, ...own },
    agentAudit: agent,
  }
  const input = `${base64urlJson({ alg: 'ES256K', typ: CHECKPOINT_TYP, kid: signer.kid })}.${base64urlJson(claims)}`
  const jwt = `${input}.${await signer.signer(input)}`
  const at = new Date().toISOString()
  const rows: AuditCheckpointRow[] = [{ chain: org.id, size: own.size, head: own.head, jwt, at }]
  if (agent.size > 0) rows.push({ chain: AGENT_CHAIN, size: agent.size, head: agent.head, jwt, at })
  await ctx.db.createQueryBuilder().insert().into(AuditCheckpointEntity).values(rows).orIgnore().execute()
  return rows[0]!
}

export async function latestCheckpoint(
  ctx: AgentContext,
  chain: string,
): Promise<AuditCheckpointRow | undefined> {
  const row = await ctx.db
    .getRepository(AuditCheckpointEntity)
    .findOne({ where: { chain }, order: { size: 'DESC' } })
  return row ?? undefined
}

/** Whether every entry after `size` is an access report read (which signs no new checkpoint). */
async function onlyReportReadsSince(ctx: AgentContext, chain: string, size: number): Promise<boolean> {
  const other = await ctx.db
    .getRepository(AuditEntryEntity)
    .createQueryBuilder('e')
    .where('e.chain = :chain AND e.seq > :size AND e.kind <> :kind', {
      chain,
      size,
      kind: 'access_report.read',
    })
    .getCount()
  return other === 0
}

/** The newest checkpoints of a chain (`limit` of them), oldest first. */
export async function listCheckpoints(
  ctx: AgentContext,
  chain: string,
  limit = 100,
): Promise<AuditCheckpointRow[]> {
  const rows = await ctx.db
    .getRepository(AuditCheckpointEntity)
    .find({ where: { chain }, order: { size: 'DESC' }, take: limit })
  return rows.reverse()
}

/** A checkpoint JWT's claims when its signature verifies against its issuer's DID document now. */
export async function verifyCheckpoint(
  ctx: AgentContext,
  jwt: string,
): Promise<{ ok: true; claims: CheckpointClaims } | { ok: false; reason: string }> {
  const [h, p] = jwt.split('.')
  const header = parseBase64urlJson(h ?? '') as { alg?: string; typ?: string; kid?: string } | undefined
  const claims = parseBase64urlJson(p ?? '') as CheckpointClaims | undefined
  if (header?.typ !== CHECKPOINT_TYP || !claims?.audit || typeof header.kid !== 'string')
    return { ok: false, reason: 'not an audit checkpoint JWT' }
  if (header.kid.split('#')[0] !== claims.iss) return { ok: false, reason: 'signed by a key of another DID' }
  const key = await verifyByDidUrl({
    compact: jwt,
    didUrl: header.kid,
    alg: header.alg ?? '',
    resolver: ctx.resolver.forVerification(),
    purposes: ['assertionMethod'],
  })
  if (!key)
    return {
      ok: false,
      reason: `its signature does not verify with ${header.kid} as ${claims.iss}'s DID document lists its keys now (a forged checkpoint, or a key rotated since)`,
    }
  return { ok: true, claims }
}
