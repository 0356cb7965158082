import { ClavisError } from '@clavis/errors'
import {
  Bitstring,
  signBitstringStatusListCredential,
  signTokenStatusListJwt,
  TOKEN_STATUS,
  TokenStatusList,
} from '@clavis/status'
import type { AgentContext } from '../../context'
import { IssuedCredentialEntity } from '../issuance/entities'
import { getOrganisation } from '../organisations/organisations'
import { StatusGroupEntity, type StatusGroupRow } from './entities'
import { isListName, LISTS, type ListName, listUrl } from './groups'

/** How long verifiers may cache a list (seconds): a revocation is seen within this time. */
export const LIST_TTL_SECONDS = 30
/** How long a signed list is valid at all. */
const LIST_VALIDITY_SECONDS = 24 * 3600

export type { ListName } from './groups'

async function build(ctx: AgentContext, group: StatusGroupRow, name: ListName): Promise<string> {
  const rows = await ctx.db
    .getRepository(IssuedCredentialEntity)
    .createQueryBuilder('c')
    .select(['c.statusIndex', 'c.status'])
    .where('c.statusGroup = :g AND c.status != :valid', { g: group.id, valid: 'valid' })
    .getMany()
  const signer = await ctx.signingKeys.signerFor(group.issuerDid)
  const url = listUrl(ctx, group.id, name)
  const spec = LISTS[name]
  if (!('purpose' in spec)) {
    const list = TokenStatusList.create({ size: group.size, bits: 2 })
    for (const r of rows)
      list.set(r.statusIndex!, r.status === 'suspended' ? TOKEN_STATUS.SUSPENDED : TOKEN_STATUS.INVALID)
    return signTokenStatusListJwt({
      issuer: group.issuerDid,
      kid: signer.kid,
      alg: signer.alg,
      signer: signer.signer,
      uri: url,
      list,
      ttlSeconds: LIST_TTL_SECONDS,
      expiresInSeconds: LIST_VALIDITY_SECONDS,
    })
  }
  const bits = Bitstring.create(group.size)
  const wanted = spec.purpose === 'revocation' ? 'revoked' : 'suspended'
  for (const r of rows) if (r.status === wanted) bits.set(r.statusIndex!, true)
  return signBitstringStatusListCredential({
    issuer: group.issuerDid,
    kid: signer.kid,
    alg: signer.alg,
    signer: signer.signer,
    format: spec.format,
    url,
    purpose: spec.purpose,
    list: bits,
    validUntil: new Date(Date.now() + LIST_VALIDITY_SECONDS * 1000),
    ttlMs: LIST_TTL_SECONDS * 1000,
  })
}

/**
 * The current signed status list of a group: rebuilt from the credentials' statuses whenever the
 * group's version changed (any process may have changed it) or half its ttl has passed, else served
 * from memory.
 *
 * @example
 * const { jwt, contentType } = await currentList(ctx, { groupId, name: 'revocation' })
 */
export async function currentList(
  ctx: AgentContext,
  options: { groupId: string; name: ListName },
): Promise<{ jwt: string; contentType: string; maxAgeSeconds: number }> {
  const group = await ctx.db.getRepository(StatusGroupEntity).findOneBy({ id: options.groupId })
  // Only the names a group has: callers other than the route (the in-process list fetcher) pass any name.
  const fits = group && isListName(options.name) && LISTS[options.name].group === group.format
  if (!group || !fits) {
    throw new ClavisError({
      code: 'not_found',
      message: `No status list ${options.groupId}/${options.name}.`,
    })
  }
  // A deactivated issuer has no key to sign with, and nothing it signed verifies any more.
  if ((await getOrganisation(ctx, group.organisationId)).status === 'deactivated') {
    throw new ClavisError({
      code: 'issuer_deactivated',
      message: `The issuer of status list ${options.groupId}/${options.name} is deactivated; its credentials are no longer valid.`,
    })
  }
  const key = `${group.id}/${options.name}`
  const cache = ctx.caches.renderedLists
  const hit = cache.get(key)
  const now = Date.now()
  let jwt: string
  if (hit && hit.version === group.version && now - hit.issuedAtMs < (LIST_TTL_SECONDS * 1000) / 2)
    jwt = hit.jwt
  else {
    jwt = await build(ctx, group, options.name)
    cache.set(key, { version: group.version, issuedAtMs: now, jwt })
  }
  return {
    jwt,
    contentType: LISTS[options.name].mediaType,
    maxAgeSeconds: LIST_TTL_SECONDS,
  }
}
