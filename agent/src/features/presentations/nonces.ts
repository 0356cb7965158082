import { timingSafeEqual } from 'node:crypto'
import { ClavisError } from '@clavis/errors'
import type { NonceStore } from '@clavis/verify'
import { IsNull, MoreThan } from 'typeorm'
import type { AgentContext } from '../../context'
import { hashToken, newOpaqueValue } from '../../util/ids'
import { getOrganisation } from '../organisations/organisations'
import { NonceEntity } from './entities'

/**
 * Issues a single-use nonce for a presentation to an organisation: the holder must put it, and the
 * organisation's DID as audience, in the presentation. The request secret stays with the verifier
 * (only its hash is stored): a presentation is verified against this request only with it, so
 * whoever learns the nonce (it travels with the request to the holder) cannot use it up.
 *
 * @example
 * const { nonce, audience, requestSecret } = await createPresentationRequest(ctx, { organisationId })
 */
export async function createPresentationRequest(
  ctx: AgentContext,
  input: { organisationId: string; ttlSeconds?: number | undefined },
): Promise<{ nonce: string; audience: string; expiresAt: string; requestSecret: string }> {
  const org = await getOrganisation(ctx, input.organisationId)
  const nonce = newOpaqueValue(24)
  const requestSecret = newOpaqueValue(24)
  const expiresAt = new Date(Date.now() + (input.ttlSeconds ?? 300) * 1000).toISOString()
  await ctx.db.getRepository(NonceEntity).insert({
    nonce,
    organisationId: org.id,
    audience: org.did,
    expiresAt,
    usedAt: null,
    secretHash: hashToken(requestSecret),
  })
  return { nonce, audience: org.did, expiresAt, requestSecret }
}

/**
 * Throws `invalid_request_secret` unless `requestSecret` is the secret of the presentation request
 * that issued `nonce` for this organisation. Nothing is consumed: a wrong secret leaves the
 * request usable by the party that holds the right one.
 *
 * @example
 * await assertRequestSecret(ctx, { organisationId, nonce, requestSecret })
 */
export async function assertRequestSecret(
  ctx: Pick<AgentContext, 'db'>,
  input: { organisationId: string; nonce: string; requestSecret: string },
): Promise<void> {
  const row = await ctx.db
    .getRepository(NonceEntity)
    .findOneBy({ nonce: input.nonce, organisationId: input.organisationId })
  const expected = Buffer.from(row?.secretHash ?? '', 'hex')
  const given = Buffer.from(hashToken(input.requestSecret), 'hex')
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new ClavisError({
      code: 'invalid_request_secret',
      message:
        'The nonce and requestSecret do not name a presentation request of this verifier: send the requestSecret returned with the nonce.',
    })
  }
}

/**
 * Nonces in the database: consumed with one conditional update, so a nonce is accepted once even
 * with several agent processes on one database.
 */
export function databaseNonceStore(ctx: Pick<AgentContext, 'db'>): NonceStore {
  return {
    async consume({ nonce, audience, now }) {
      const result = await ctx.db
        .getRepository(NonceEntity)
        .update(
          { nonce, audience, usedAt: IsNull(), expiresAt: MoreThan(now.toISOString()) },
          { usedAt: now.toISOString() },
        )
      return result.affected === 1
    },
  }
}
