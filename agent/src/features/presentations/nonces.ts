import { timingSafeEqual } from 'node:crypto'
import { ClavisError } from '@clavis/errors'
import type { NonceStore } from '@clavis/verify'
import type { AgentContext } from '../../context'
import { isPostgres, placeholders } from '../../db/sql'
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
  // Plain SQL on the hot path of every presentation (the query builder costs more than the query).
  const rows: { secret_hash: string | null }[] = await ctx.db.query(
    `SELECT secret_hash FROM clavis_nonce WHERE nonce = ${placeholders(ctx.db, 1)} AND organisation_id = ${placeholders(ctx.db, 1, 1)}`,
    [input.nonce, input.organisationId],
  )
  const expected = Buffer.from(rows[0]?.secret_hash ?? '', 'hex')
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
      const at = now.toISOString()
      const [p1, p2, p3, p4] = placeholders(ctx.db, 4).split(', ')
      const out: unknown = await ctx.db.query(
        `UPDATE clavis_nonce SET used_at = ${p1} WHERE nonce = ${p2} AND audience = ${p3} AND used_at IS NULL AND expires_at > ${p4} RETURNING nonce`,
        [at, nonce, audience, at],
      )
      // PostgreSQL answers an UPDATE with [rows, count]; SQLite with the rows.
      const rows = isPostgres(ctx.db) ? (out as [unknown[], number])[0] : (out as unknown[])
      return rows.length === 1
    },
  }
}
