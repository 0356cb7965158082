import { verifyAuditRequest } from '@clavis/api'
import { Hono } from 'hono'
import type { AgentContext } from '../context'
import { OrganisationEntity } from '../features/organisations/entities'
import { type AuthEnv, allow } from '../http/auth'
import { readBody } from '../http/body'
import { intParam } from '../http/query'
import { toAuditEventBundle } from './balp'
import { listCheckpoints, signCheckpoint } from './checkpoints'
import { readAuditPage } from './read'
import { verifyTrail } from './verify-trail'

const checkpointOut = (c: { size: number; head: string; jwt: string; at: string }) => ({
  size: Number(c.size),
  head: c.head,
  jwt: c.jwt,
  at: c.at,
})

/** The organisation's audit trail: read, verify, export as FHIR AuditEvent, checkpoints (`/v1`). */
export function auditRoutes(ctx: AgentContext): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const page = (c: { req: { query(name: string): string | undefined } }) => ({
    after: intParam(c.req.query('after'), 'after', { min: 0, max: Number.MAX_SAFE_INTEGER }),
    limit: intParam(c.req.query('limit'), 'limit', { min: 1, max: 1000 }),
  })
  app.get('/organisations/:id/audit', allow(ctx, 'organisation:read'), async (c) =>
    c.json(
      await readAuditPage(ctx, c.var.organisationId, {
        ...page(c),
        kind: c.req.query('kind'),
        patient: c.req.query('patient'),
      }),
    ),
  )
  app.post('/organisations/:id/audit/verify', allow(ctx, 'organisation:read'), async (c) => {
    const body = await readBody(c, verifyAuditRequest)
    return c.json(await verifyTrail(ctx, c.var.organisationId, { given: body.checkpoints ?? [] }))
  })
  app.get('/organisations/:id/audit/fhir', allow(ctx, 'organisation:read'), async (c) => {
    const { entries, next } = await readAuditPage(ctx, c.var.organisationId, page(c))
    const dids = new Map(
      (await ctx.db.getRepository(OrganisationEntity).find()).map((o) => [o.id, o.did] as const),
    )
    const bundle = toAuditEventBundle(
      entries.map((e) => ({ seq: e.seq, at: e.at, hash: e.hash, event: e.event as never })),
      { site: ctx.publicUrl, didOf: (id) => dids.get(id) },
    )
    if (next !== undefined)
      bundle.link = [
        ...(bundle.link ?? []),
        {
          relation: 'next',
          url: `${ctx.publicUrl}/v1/organisations/${c.var.organisationId}/audit/fhir?after=${next}`,
        },
      ]
    c.header('Content-Type', 'application/fhir+json')
    return c.body(JSON.stringify(bundle))
  })
  app.post('/organisations/:id/audit/checkpoints', allow(ctx, 'organisation:write'), async (c) =>
    c.json(checkpointOut(await signCheckpoint(ctx, c.var.organisationId)), 201),
  )
  app.get('/organisations/:id/audit/checkpoints', async (c) =>
    c.json({ checkpoints: (await listCheckpoints(ctx, c.req.param('id'))).map(checkpointOut) }),
  )
  return app
}
