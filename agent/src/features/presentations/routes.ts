import { presentationRequestRequest, verifyPresentationRequest } from '@clavis/api'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { type AuthEnv, allow } from '../../http/auth'
import { readBody } from '../../http/body'
import { createPresentationRequest } from './nonces'
import { verifyPresentation } from './verify'

/** Presentation requests (a verifier's staff get a nonce) and presentation verification (public). */
export function presentationRoutes(ctx: AgentContext): Hono<AuthEnv> {
  return new Hono<AuthEnv>()
    .post('/organisations/:id/presentation-requests', allow(ctx, 'organisation:write'), async (c) => {
      const organisationId = c.var.organisationId
      const body = await readBody(c, presentationRequestRequest)
      return c.json(
        await createPresentationRequest(ctx, { organisationId, ttlSeconds: body.ttlSeconds }),
        201,
      )
    })
    .post('/verify/presentation', async (c) => {
      const body = await readBody(c, verifyPresentationRequest)
      return c.json(await verifyPresentation(ctx, body))
    })
}
