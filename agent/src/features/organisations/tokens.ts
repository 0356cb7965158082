import { ClavisError } from '@clavis/errors'
import { IsNull } from 'typeorm'
import type { AgentContext } from '../../context'
import { hashToken, newId, nowIso } from '../../util/ids'
import { ApiTokenEntity } from './entities'

/** Who a request acts for. */
export type Principal = { role: 'admin' } | { role: 'staff'; organisationId: string }

/**
 * Resolves a bearer token to its principal. Throws `unauthorized` when missing or unknown.
 *
 * @example
 * const who = await authenticate(ctx, c.req.header('authorization'))
 */
export async function authenticate(ctx: AgentContext, authorization: string | undefined): Promise<Principal> {
  const m = /^Bearer\s+(\S{1,200})$/i.exec(authorization ?? '')
  if (!m) {
    throw new ClavisError({
      code: 'unauthorized',
      message:
        'Missing bearer token. Send "Authorization: Bearer <token>" with your organisation\'s API token.',
    })
  }
  const row = await ctx.db
    .getRepository(ApiTokenEntity)
    .findOneBy({ tokenHash: hashToken(m[1]!), revokedAt: IsNull() })
  if (!row) {
    throw new ClavisError({
      code: 'unauthorized',
      message: 'Unknown or revoked token. Ask the operator for a new one (./clavis org token <id>).',
    })
  }
  if (row.role === 'admin') return { role: 'admin' }
  return { role: 'staff', organisationId: row.organisationId! }
}

/** Stores the hash of a new admin token. */
export async function addAdminToken(ctx: AgentContext, token: string): Promise<void> {
  await ctx.db.getRepository(ApiTokenEntity).insert({
    id: newId(),
    organisationId: null,
    role: 'admin',
    tokenHash: hashToken(token),
    createdAt: nowIso(),
    revokedAt: null,
  })
}

/** Whether any admin token exists. */
export async function hasAdminToken(ctx: AgentContext): Promise<boolean> {
  return (await ctx.db.getRepository(ApiTokenEntity).countBy({ role: 'admin', revokedAt: IsNull() })) > 0
}
