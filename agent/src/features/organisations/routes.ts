import { createOrganisationRequest } from '@clavis/api'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { type AuthEnv, allow, signedIn } from '../../http/auth'
import { readBody } from '../../http/body'
import {
  createOrganisation,
  getOrganisation,
  listOrganisations,
  resetOrganisationToken,
  toOrganisation,
} from './organisations'

/** Organisations: create (operator), list and get (public), reset token (operator), whoami. */
export function organisationRoutes(ctx: AgentContext): Hono<AuthEnv> {
  return new Hono<AuthEnv>()
    .get('/me', signedIn(ctx), async (c) => {
      const who = c.var.principal
      if (who.role === 'admin') return c.json({ role: 'admin' })
      return c.json({
        role: 'staff',
        organisation: toOrganisation(await getOrganisation(ctx, who.organisationId)),
      })
    })
    .post('/organisations', allow(ctx, 'organisations:create'), async (c) => {
      const body = await readBody(c, createOrganisationRequest)
      const created = await createOrganisation(ctx, body)
      return c.json(created, 201)
    })
    .get('/organisations', async (c) => {
      return c.json({ organisations: (await listOrganisations(ctx)).map(toOrganisation) })
    })
    .get('/organisations/:id', async (c) => {
      return c.json(toOrganisation(await getOrganisation(ctx, c.req.param('id'))))
    })
    .post('/organisations/:id/token', allow(ctx, 'organisations:token'), async (c) => {
      return c.json({ token: await resetOrganisationToken(ctx, c.req.param('id')) }, 201)
    })
}
