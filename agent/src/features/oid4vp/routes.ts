import { createVpRequestRequest } from '@clavis/api'
import { ClavisError } from '@clavis/errors'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { type AuthEnv, allow } from '../../http/auth'
import { readBody } from '../../http/body'
import { crossOrigin, oauth } from '../../http/oauth'
import { acceptVpResponse, createVpRequest, getVpRequest, requestObject } from './requests'

/** Staff of a verifier make OpenID4VP requests and read their results (`/v1`). */
export function vpRequestRoutes(ctx: AgentContext): Hono<AuthEnv> {
  return new Hono<AuthEnv>()
    .post('/organisations/:id/oid4vp/requests', allow(ctx, 'organisation:write'), async (c) => {
      const body = await readBody(c, createVpRequestRequest)
      return c.json(
        await createVpRequest(ctx, {
          organisationId: c.var.organisationId,
          dcql: body.dcql,
          ttlSeconds: body.ttlSeconds,
          responseMode: body.responseMode,
        }),
        201,
      )
    })
    .get('/organisations/:id/oid4vp/requests/:requestId', allow(ctx, 'organisation:read'), async (c) =>
      c.json(
        await getVpRequest(ctx, {
          organisationId: c.var.organisationId,
          requestId: c.req.param('requestId'),
        }),
      ),
    )
}

/**
 * OpenID4VP 1.0 for wallets: the signed request object at its `request_uri`
 * (`application/oauth-authz-req+jwt`) and the `response_uri` (`direct_post`, form-encoded).
 * Public, any origin; errors are OAuth error bodies.
 */
export function verifierProtocolRoutes(ctx: AgentContext): Hono {
  const app = new Hono()
  app.use('/verifiers/*', crossOrigin)
  app.get(
    '/verifiers/:id/requests/:requestId',
    oauth(ctx, async (c) => {
      const jwt = await requestObject(ctx, {
        organisationId: c.req.param('id')!,
        requestId: c.req.param('requestId')!,
      })
      c.header('Cache-Control', 'no-store')
      c.header('Content-Type', 'application/oauth-authz-req+jwt')
      return c.body(jwt)
    }),
  )
  app.post(
    '/verifiers/:id/requests/:requestId/response',
    oauth(ctx, async (c) => {
      if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(c.req.header('content-type') ?? ''))
        throw new ClavisError({
          code: 'invalid_request',
          message: 'Send the response as application/x-www-form-urlencoded (OpenID4VP 1.0 direct_post).',
        })
      const form = Object.fromEntries(new URLSearchParams(await c.req.text()))
      const result = await acceptVpResponse(ctx, {
        organisationId: c.req.param('id')!,
        requestId: c.req.param('requestId')!,
        form,
      })
      c.header('Cache-Control', 'no-store')
      if (!result.valid)
        return c.json(
          {
            error: 'invalid_request',
            error_description: result.dcqlSatisfied
              ? 'A presentation did not verify; the verifier sees every check.'
              : 'The presentations do not give what the request asked for, or one did not verify.',
          },
          400,
        )
      return c.json({})
    }),
  )
  return app
}
