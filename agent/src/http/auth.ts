import type { Context } from 'hono'
import type { AgentContext } from '../context'
import { authenticate, type Principal, requireAdmin, requireStaffOf } from '../orgs/auth'

/** The principal of a request (401 when none). */
export function principal(ctx: AgentContext, c: Context): Promise<Principal> {
  return authenticate(ctx, c.req.header('authorization'))
}

/** Requires the operator's token. */
export async function asAdmin(ctx: AgentContext, c: Context): Promise<void> {
  requireAdmin(await principal(ctx, c))
}

/** Requires a staff token of the organisation in the `:id` path parameter; returns that id. */
export async function asStaff(ctx: AgentContext, c: Context): Promise<string> {
  const id = c.req.param('id') ?? ''
  requireStaffOf(await principal(ctx, c), id)
  return id
}
