import { randomBytes } from 'node:crypto'
import type { NonceStore } from '@clavis/verify'
import { IsNull, MoreThan } from 'typeorm'
import type { AgentContext } from '../context'
import { NonceEntity } from '../db/entities'
import { getOrganisation } from '../orgs/organisations'

/**
 * Issues a single-use nonce for a presentation to an organisation: the holder must put it, and the
 * organisation's DID as audience, in the presentation.
 *
 * @example
 * const { nonce, audience } = await createPresentationRequest(ctx, { organisationId })
 */
export async function createPresentationRequest(
  ctx: AgentContext,
  input: { organisationId: string; ttlSeconds?: number | undefined },
): Promise<{ nonce: string; audience: string; expiresAt: string }> {
  const org = await getOrganisation(ctx, input.organisationId)
  const nonce = randomBytes(24).toString('base64url')
  const expiresAt = new Date(Date.now() + (input.ttlSeconds ?? 300) * 1000).toISOString()
  await ctx.db
    .getRepository(NonceEntity)
    .insert({ nonce, organisationId: org.id, audience: org.did, expiresAt, usedAt: null })
  return { nonce, audience: org.did, expiresAt }
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
