import { verifyBatchRequest, verifyRequest } from '@clavis/api'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { type AuthEnv, allow } from '../../http/auth'
import { readBody } from '../../http/body'
import { verifyCredentialBatch } from './batch'
import { verifyCredential } from './verify'

/**
 * `POST /v1/verify` (public): the verification envelope of a JWT-VC. `POST
 * /v1/organisations/:id/verify/batch` (the organisation's staff): up to 1000 of them against its
 * trust list, on every core.
 */
export function verifyRoutes(ctx: AgentContext): Hono<AuthEnv> {
  return new Hono<AuthEnv>()
    .post('/verify', async (c) => {
      const body = await readBody(c, verifyRequest)
      return c.json(await verifyCredential(ctx, body))
    })
    .post('/organisations/:id/verify/batch', allow(ctx, 'organisation:read'), async (c) => {
      const body = await readBody(c, verifyBatchRequest)
      return c.json(
        await verifyCredentialBatch(ctx, { verifier: c.var.organisationId, credentials: body.credentials }),
      )
    })
}
