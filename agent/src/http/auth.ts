import { ClavisError } from '@clavis/errors'
import type { Context, MiddlewareHandler } from 'hono'
import type { AgentContext } from '../context'
import { getOrganisation } from '../features/organisations/organisations'
import { authenticate, type Principal } from '../features/organisations/tokens'

/**
 * What a route may need. `organisation:*` permissions are scoped: they hold only for the
 * organisation named by the route's `:id`.
 */
export type Permission =
  | 'organisations:create'
  | 'organisations:token'
  | 'health:details'
  | 'organisation:read'
  | 'organisation:write'

/**
 * Which role holds which permissions: the whole access policy, as data. A new kind of caller (the
 * short-lived access tokens of record access) is a new role here and a new case of `Principal`.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Principal['role'], readonly Permission[]>> = {
  admin: ['organisations:create', 'organisations:token', 'health:details'],
  staff: ['organisation:read', 'organisation:write'],
}

const REFUSALS: Record<Permission, string> = {
  'organisations:create':
    'Only the operator may create organisations. Use the admin token (written to <data dir>/admin-token at first start).',
  'organisations:token':
    "Only the operator may reset an organisation's token. Use the admin token (<data dir>/admin-token).",
  'health:details': 'Only the operator sees the details of health.',
  'organisation:read': "This token does not belong to that organisation. Use the organisation's staff token.",
  'organisation:write':
    "This token does not belong to that organisation. Use the organisation's staff token.",
}

/** Whether `who` holds `permission` (for scoped permissions: on organisation `organisationId`). */
export function holds(who: Principal, permission: Permission, organisationId?: string): boolean {
  if (!ROLE_PERMISSIONS[who.role].includes(permission)) return false
  if (!permission.startsWith('organisation:')) return true
  return who.role === 'staff' && who.organisationId === organisationId
}

/** What the auth middleware leaves for handlers. */
export interface AuthVariables {
  principal: Principal
  /** The organisation the route acts on (scoped permissions only). */
  organisationId: string
}

export type AuthEnv = { Variables: AuthVariables }

/**
 * Middleware: authenticates the bearer token (401 `unauthorized`), checks `permission` (403
 * `forbidden`) and leaves the principal (and the organisation) in `c.var`. A deactivated
 * organisation's staff may still read, but every write is refused (409 `did_deactivated`) before
 * anything is stored.
 *
 * @example
 * app.post('/organisations/:id/credentials', allow(ctx, 'organisation:write'), (c) => c.var.organisationId)
 */
export function allow(ctx: AgentContext, permission: Permission): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const who = await authenticate(ctx, c.req.header('authorization'))
    const organisationId = c.req.param('id') ?? ''
    if (!holds(who, permission, organisationId)) {
      throw new ClavisError({ code: 'forbidden', message: REFUSALS[permission] })
    }
    if (permission === 'organisation:write') {
      const org = await getOrganisation(ctx, organisationId)
      if (org.status === 'deactivated') {
        throw new ClavisError({
          code: 'did_deactivated',
          message: `Organisation ${organisationId}'s DID is deactivated: its staff can read what it did but change nothing. Create a new organisation.`,
        })
      }
    }
    c.set('principal', who)
    c.set('organisationId', organisationId)
    await next()
  }
}

/** Middleware: any valid token (401 otherwise); leaves the principal in `c.var`. */
export function signedIn(ctx: AgentContext): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    c.set('principal', await authenticate(ctx, c.req.header('authorization')))
    await next()
  }
}

/** The principal of a request when it carries a valid token; undefined otherwise (never throws 401). */
export async function optionalPrincipal(ctx: AgentContext, c: Context): Promise<Principal | undefined> {
  const authorization = c.req.header('authorization')
  if (!authorization) return undefined
  try {
    return await authenticate(ctx, authorization)
  } catch (e) {
    if (e instanceof ClavisError && e.code === 'unauthorized') return undefined
    throw e
  }
}
