import type { CredentialType } from '@clavis/credentials'
import { ClavisError } from '@clavis/errors'
import type { TrustEntry } from '@clavis/verify'
import type { AgentContext } from '../../context'
import { placeholders } from '../../db/sql'
import { newId, nowIso } from '../../util/ids'
import { getOrganisation } from '../organisations/organisations'
import { TrustEntryEntity } from './entities'

/**
 * An organisation's trust list: which DIDs it accepts as issuers of which credential types.
 *
 * @example
 * const entries = await getTrustList(ctx, hospitalId)
 */
export async function getTrustList(ctx: AgentContext, organisationId: string): Promise<TrustEntry[]> {
  const rows = await ctx.db
    .getRepository(TrustEntryEntity)
    .find({ where: { organisationId }, order: { createdAt: 'ASC' } })
  const byIssuer = new Map<string, CredentialType[]>()
  for (const r of rows) {
    const list = byIssuer.get(r.issuerDid) ?? []
    list.push(r.credentialType as CredentialType)
    byIssuer.set(r.issuerDid, list)
  }
  return [...byIssuer].map(([issuer, types]) => ({ issuer, types }))
}

/** Adds trust in `issuer` for `types` (idempotent). */
export async function addTrust(
  ctx: AgentContext,
  input: { organisationId: string; issuer: string; types: readonly CredentialType[] },
): Promise<TrustEntry[]> {
  await getOrganisation(ctx, input.organisationId)
  // One statement per entry: concurrent adds of the same entry are idempotent, not a unique violation.
  for (const type of input.types) {
    await ctx.db.query(
      `INSERT INTO clavis_trust_entry (id, organisation_id, issuer_did, credential_type, created_at)
       VALUES (${placeholders(ctx.db, 5)}) ON CONFLICT DO NOTHING`,
      [newId(), input.organisationId, input.issuer, type, nowIso()],
    )
  }
  ctx.caches.verifiers.delete(input.organisationId)
  await ctx.audit.record({
    kind: 'trust.added',
    organisationId: input.organisationId,
    issuer: input.issuer,
    types: input.types,
  })
  return getTrustList(ctx, input.organisationId)
}

/** Removes trust in `issuer` (for the given types, or all). */
export async function removeTrust(
  ctx: AgentContext,
  input: { organisationId: string; issuer: string; types?: readonly CredentialType[] },
): Promise<TrustEntry[]> {
  const repo = ctx.db.getRepository(TrustEntryEntity)
  const rows = await repo.findBy({ organisationId: input.organisationId, issuerDid: input.issuer })
  const doomed = rows.filter((r) => !input.types || input.types.includes(r.credentialType as CredentialType))
  if (doomed.length === 0) {
    throw new ClavisError({ code: 'not_found', message: `The trust list has no entry for ${input.issuer}.` })
  }
  await repo.delete(doomed.map((r) => r.id))
  ctx.caches.verifiers.delete(input.organisationId)
  await ctx.audit.record({
    kind: 'trust.removed',
    organisationId: input.organisationId,
    issuer: input.issuer,
    types: doomed.map((r) => r.credentialType),
  })
  return getTrustList(ctx, input.organisationId)
}
