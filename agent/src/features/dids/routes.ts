import { addKeyRequest, addServiceRequest, rotateKeyRequest } from '@clavis/api'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { type AuthEnv, allow } from '../../http/auth'
import { readBody } from '../../http/body'
import { getOrganisation } from '../organisations/organisations'
import { deactivateDid } from './deactivate'
import { addDelegateKey, revokeDelegateKey } from './delegate-keys'
import { DidEventEntity } from './entities'
import { listKeys } from './keys'
import { resolveDid } from './resolve'
import { rotateKey } from './rotate'
import { addService } from './services'

/** Resolve any DID (public); manage your organisation's DID on chain (staff). */
export function didRoutes(ctx: AgentContext): Hono<AuthEnv> {
  return (
    new Hono<AuthEnv>()
      // Hono decodes path parameters once; decoding again corrupts `%` in DIDs or throws (500).
      .get('/dids/:did', async (c) => c.json(await resolveDid(ctx, c.req.param('did'))))
      .get('/organisations/:id/did', async (c) => {
        const org = await getOrganisation(ctx, c.req.param('id'))
        const resolution = await resolveDid(ctx, org.did)
        const events = await ctx.db
          .getRepository(DidEventEntity)
          .find({ where: { organisationId: org.id }, order: { at: 'ASC' } })
        return c.json({
          did: org.did,
          status: org.status,
          resolution,
          keys: await listKeys(ctx, org.id),
          events: events.map((e) => ({
            kind: e.kind,
            detail: JSON.parse(e.detail),
            txHash: e.txHash,
            at: e.at,
          })),
        })
      })
      .post('/organisations/:id/did/services', allow(ctx, 'organisation:write'), async (c) => {
        const organisationId = c.var.organisationId
        const body = await readBody(c, addServiceRequest)
        return c.json(await addService(ctx, { organisationId, ...body }), 201)
      })
      .post('/organisations/:id/did/keys', allow(ctx, 'organisation:write'), async (c) => {
        const organisationId = c.var.organisationId
        const body = await readBody(c, addKeyRequest)
        return c.json(
          await addDelegateKey(ctx, { organisationId, validitySeconds: body.validitySeconds }),
          201,
        )
      })
      .delete('/organisations/:id/did/keys/:kid', allow(ctx, 'organisation:write'), async (c) => {
        const organisationId = c.var.organisationId
        return c.json(await revokeDelegateKey(ctx, { organisationId, kid: c.req.param('kid') }))
      })
      .post('/organisations/:id/did/rotate', allow(ctx, 'organisation:write'), async (c) => {
        const organisationId = c.var.organisationId
        const body = await readBody(c, rotateKeyRequest)
        return c.json(await rotateKey(ctx, { organisationId, policy: body.policy }))
      })
      .post('/organisations/:id/did/deactivate', allow(ctx, 'organisation:write'), async (c) => {
        const organisationId = c.var.organisationId
        return c.json(await deactivateDid(ctx, { organisationId }))
      })
  )
}
