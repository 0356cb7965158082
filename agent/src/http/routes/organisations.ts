import { createOrganisationRequest } from '@clavis/api'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import {
  createOrganisation,
  getOrganisation,
  listOrganisations,
  resetOrganisationToken,
  toOrganisation,
} from '../../orgs/organisations'
import { asAdmin, principal } from '../auth'
import { readBody } from '../body'

/** Organisations: create (operator), list and get (public), reset token (operator), whoami. */
export function organisationRoutes(ctx: AgentContext): Hono {
  return new Hono()
    .get('/me', async (c) => {
      const who = await principal(ctx, c)
      if (who.role === 'admin') return c.json({ role: 'admin' })
      return c.json({
        role: 'staff',
        organisation: toOrganisation(await getOrganisation(ctx, who.organisationId)),
      })
    })
    .post('/organisations', async (c) => {
      await asAdmin(ctx, c)
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
    .post('/organisations/:id/token', async (c) => {
      await asAdmin(ctx, c)
      return c.json({ token: await resetOrganisationToken(ctx, c.req.param('id')) }, 201)
    })
}
