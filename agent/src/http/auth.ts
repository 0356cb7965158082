import { ClavisError } from '@clavis/api'
import type { Context } from 'hono'
import type { AgentContext } from '../context'
import { authenticate, type Principal, requireAdmin, requireStaffOf } from '../orgs/auth'
import { getOrganisation } from '../orgs/organisations'

/** The principal of a request (401 when none). */
export function principal(ctx: AgentContext, c: Context): Promise<Principal> {
  return authenticate(ctx, c.req.header('authorization'))
}

/** Requires the operator's token. */
export async function asAdmin(ctx: AgentContext, c: Context): Promise<void> {
  requireAdmin(await principal(ctx, c))
}

/**
 * Requires a staff token of the organisation in the `:id` path parameter; returns that id. A
 * deactivated organisation's staff may still read, but every write is refused (`did_deactivated`)
 * before anything is stored.
 */
export async function asStaff(ctx: AgentContext, c: Context): Promise<string> {
  const id = c.req.param('id') ?? ''
  requireStaffOf(await principal(ctx, c), id)
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const org = await getOrganisation(ctx, id)
    if (org.status === 'deactivated') {
      throw new ClavisError({
        code: 'did_deactivated',
        message: `Organisation ${id}'s DID is deactivated: its staff can read what it did but change nothing. Create a new organisation.`,
      })
    }
  }
  return id
}
