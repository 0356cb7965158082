import { presentationRequestRequest, verifyPresentationRequest } from '@clavis/api'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { verifyPresentation } from '../../credentials/verify'
import { createPresentationRequest } from '../../presentations/nonces'
import { asStaff } from '../auth'
import { readBody } from '../body'

/** Presentation requests (a verifier's staff get a nonce) and presentation verification (public). */
export function presentationRoutes(ctx: AgentContext): Hono {
  return new Hono()
    .post('/organisations/:id/presentation-requests', async (c) => {
      const organisationId = await asStaff(ctx, c)
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
