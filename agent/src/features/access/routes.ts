import { accessRequestRequest, accessTokenRequest } from '@clavis/api'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { readBody } from '../../http/body'
import { rateLimit } from '../../http/rate-limit'
import { dpopVerifierOf } from './dpop'
import { createAccessRequest, getAccessRequest } from './requests'
import { takeAccessToken } from './tokens'

/** Access requests a hospital takes per minute from anyone (a decision a second is ~30 ms). */
export const ACCESS_REQUESTS_PER_MINUTE = 3000

/** The secret of an access request, sent as `Authorization: Bearer <secret>`. */
const secretOf = (header: string | undefined) => /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1]

/**
 * Record access for clinicians (`/v1`, public: who they are is what they present): ask a hospital
 * for a patient's records (an OpenID4VP request for licence and grant, or an emergency), follow
 * the decision, take a DPoP-bound token.
 */
export function accessRoutes(ctx: AgentContext): Hono {
  const verifyDpop = dpopVerifierOf(ctx)
  // Anyone may ask (the presentation is the authentication): bounded per hospital.
  const limitRequests = rateLimit({
    max: ACCESS_REQUESTS_PER_MINUTE,
    windowMs: 60_000,
    key: (c) => c.req.param('id') ?? '',
    what: 'access requests',
  })
  return new Hono()
    .post('/organisations/:id/access/requests', limitRequests, async (c) => {
      const body = await readBody(c, accessRequestRequest)
      return c.json(
        await createAccessRequest(ctx, {
          organisationId: c.req.param('id'),
          patientDid: body.patient,
          emergency: body.emergency,
        }),
        201,
      )
    })
    .get('/organisations/:id/access/requests/:requestId', async (c) =>
      c.json(
        await getAccessRequest(ctx, {
          organisationId: c.req.param('id'),
          requestId: c.req.param('requestId'),
          secret: secretOf(c.req.header('authorization')),
        }),
      ),
    )
    .post('/organisations/:id/access/token', async (c) => {
      const body = await readBody(c, accessTokenRequest)
      const organisationId = c.req.param('id')
      return c.json(
        await takeAccessToken(ctx, verifyDpop, {
          organisationId,
          requestId: body.requestId,
          secret: secretOf(c.req.header('authorization')),
          dpop: c.req.header('dpop'),
          url: `${ctx.publicUrl}/v1/organisations/${organisationId}/access/token`,
        }),
      )
    })
}
