import { createOfferRequest } from '@clavis/api'
import { ClavisError } from '@clavis/errors'
import { type Context, Hono } from 'hono'
import type { AgentContext } from '../../context'
import { type AuthEnv, allow } from '../../http/auth'
import { readBody } from '../../http/body'
import { crossOrigin, oauth } from '../../http/oauth'
import { getOrganisation } from '../organisations/organisations'
import { authorizationServerMetadata, credentialIssuerMetadata, issuerUrl } from './metadata'
import { createOffer, getOffer, offerObject } from './offers'
import { issueForOffer, newIssuerNonce, redeemPreAuthorizedCode } from './protocol'

/** Staff make credential offers and follow them (`/v1`). */
export function offerRoutes(ctx: AgentContext): Hono<AuthEnv> {
  return new Hono<AuthEnv>()
    .post('/organisations/:id/offers', allow(ctx, 'organisation:write'), async (c) => {
      const request = await readBody(c, createOfferRequest)
      return c.json(await createOffer(ctx, { organisationId: c.var.organisationId, request }), 201)
    })
    .get('/organisations/:id/offers/:offerId', allow(ctx, 'organisation:read'), async (c) =>
      c.json(await getOffer(ctx, { organisationId: c.var.organisationId, offerId: c.req.param('offerId') })),
    )
}

const LOGO = (initials: string, colour: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64"><rect width="64" height="64" rx="12" fill="${colour}"/><text x="32" y="41" font-family="sans-serif" font-size="24" font-weight="bold" fill="#fff" text-anchor="middle">${initials}</text></svg>`

const initialsOf = (name: string) =>
  name
    .split(/\s+/)
    .filter((w) => /^[A-Za-z]/.test(w))
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('') || 'C'

/**
 * OpenID4VCI 1.0 for wallets, one issuer per organisation (`<public URL>/issuers/<id>`): its
 * metadata and its authorization server's (path insertion), offers by reference, the token, nonce
 * and credential endpoints, and a logo. Public (the wallet holds no staff token) and readable
 * from any origin; errors are OAuth error bodies.
 */
export function issuerProtocolRoutes(ctx: AgentContext): Hono {
  const app = new Hono()
  app.use('/.well-known/openid-credential-issuer/issuers/*', crossOrigin)
  app.use('/.well-known/oauth-authorization-server/issuers/*', crossOrigin)
  app.use('/issuers/*', crossOrigin)
  const org = (c: Context) => getOrganisation(ctx, c.req.param('id')!)
  app.get(
    '/.well-known/openid-credential-issuer/issuers/:id',
    oauth(ctx, async (c) => {
      c.header('Cache-Control', 'public, max-age=300')
      return c.json(credentialIssuerMetadata(ctx, await org(c)))
    }),
  )
  app.get(
    '/.well-known/oauth-authorization-server/issuers/:id',
    oauth(ctx, async (c) => {
      c.header('Cache-Control', 'public, max-age=300')
      return c.json(authorizationServerMetadata(ctx, await org(c)))
    }),
  )
  app.get(
    '/issuers/:id/logo.svg',
    oauth(ctx, async (c) => {
      const o = await org(c)
      c.header('Cache-Control', 'public, max-age=86400')
      c.header('Content-Type', 'image/svg+xml')
      return c.body(LOGO(initialsOf(o.name), o.kind === 'board' ? '#1f3a5f' : '#0f5e5a'))
    }),
  )
  app.get(
    '/issuers/:id/offers/:offerId',
    oauth(ctx, async (c) =>
      c.json(
        await offerObject(ctx, { organisationId: c.req.param('id')!, offerId: c.req.param('offerId')! }),
      ),
    ),
  )
  app.post(
    '/issuers/:id/token',
    oauth(ctx, async (c) => {
      if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(c.req.header('content-type') ?? ''))
        throw new ClavisError({
          code: 'invalid_request',
          message: 'Send the token request as application/x-www-form-urlencoded (RFC 6749 §4.1.3).',
        })
      const form = Object.fromEntries(new URLSearchParams(await c.req.text()))
      const token = await redeemPreAuthorizedCode(ctx, {
        organisationId: c.req.param('id')!,
        request: {
          method: 'POST',
          url: `${issuerUrl(ctx, c.req.param('id')!)}/token`,
          headers: c.req.raw.headers,
        },
        form,
      })
      c.header('Cache-Control', 'no-store')
      return c.json(token)
    }),
  )
  app.post(
    '/issuers/:id/nonce',
    oauth(ctx, async (c) => {
      c.header('Cache-Control', 'no-store')
      return c.json(await newIssuerNonce(ctx, c.req.param('id')!))
    }),
  )
  app.post(
    '/issuers/:id/credential',
    oauth(ctx, async (c) => {
      let body: unknown
      try {
        body = JSON.parse(await c.req.text())
      } catch {
        throw new ClavisError({
          code: 'invalid_credential_request',
          message: 'The credential request is not JSON.',
        })
      }
      const response = await issueForOffer(ctx, {
        organisationId: c.req.param('id')!,
        authorization: c.req.header('authorization'),
        body,
      })
      c.header('Cache-Control', 'no-store')
      return c.json(response)
    }),
  )
  return app
}
