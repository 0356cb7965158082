import { timingSafeEqual } from 'node:crypto'
import { ClavisError } from '@clavis/errors'
import type { NonceStore } from '@clavis/verify'
import type { AgentContext } from '../../context'
import { placeholders } from '../../db/sql'
import { type RawSqlite, sqliteExclusive } from '../../db/sqlite-serial'
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
 * with several agent processes on one database (PostgreSQL).
 *
 * On SQLite the update is committed without waiting for the disk (`synchronous = NORMAL` for that
 * one commit, everything else stays FULL): it survives a kill of the agent at any moment, as the
 * write is with the operating system before the answer; only an operating-system crash or power
 * cut in the next moment can forget it. Then the presentation could be verified once more, by
 * someone holding both it and the verifier's request secret, until the nonce expires (ADR 0025):
 * a cost we take for not waiting ≈0.2 ms for the disk in every presentation.
 */
export function databaseNonceStore(ctx: Pick<AgentContext, 'db'>): NonceStore {
  const exclusive = sqliteExclusive(ctx.db)
  if (exclusive) {
    let update: ReturnType<RawSqlite['prepare']> | undefined
    return {
      consume({ nonce, audience, now }) {
        const at = now.toISOString()
        return exclusive((db) => {
          update ??= db.prepare(
            'UPDATE clavis_nonce SET used_at = ? WHERE nonce = ? AND audience = ? AND used_at IS NULL AND expires_at > ? RETURNING nonce',
          )
          db.pragma('synchronous = NORMAL')
          try {
            return update.all(at, nonce, audience, at).length === 1
          } finally {
            db.pragma('synchronous = FULL')
          }
        })
      },
    }
  }
  return {
    async consume({ nonce, audience, now }) {
      const at = now.toISOString()
      const out: [unknown[], number] = await ctx.db.query(
        'UPDATE clavis_nonce SET used_at = $1 WHERE nonce = $2 AND audience = $3 AND used_at IS NULL AND expires_at > $4 RETURNING nonce',
        [at, nonce, audience, at],
      )
      // PostgreSQL answers an UPDATE with [rows, count].
      return out[0].length === 1
    },
  }
}
