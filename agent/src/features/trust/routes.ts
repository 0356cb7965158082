import { didSchema, trustEntryRequest } from '@clavis/api'
import { CREDENTIAL_TYPES, type CredentialType } from '@clavis/credentials'
import { ClavisError } from '@clavis/errors'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { type AuthEnv, allow } from '../../http/auth'
import { readBody } from '../../http/body'
import { addTrust, getTrustList, removeTrust } from './trust'

/** The trust list: which issuers the organisation trusts for which credential types (its staff). */
export function trustRoutes(ctx: AgentContext): Hono<AuthEnv> {
  return new Hono<AuthEnv>()
    .get('/organisations/:id/trust', allow(ctx, 'organisation:read'), async (c) => {
      const organisationId = c.var.organisationId
      return c.json({ entries: await getTrustList(ctx, organisationId) })
    })
    .post('/organisations/:id/trust', allow(ctx, 'organisation:write'), async (c) => {
      const organisationId = c.var.organisationId
      const body = await readBody(c, trustEntryRequest)
      return c.json(
        { entries: await addTrust(ctx, { organisationId, issuer: body.issuer, types: body.types }) },
        201,
      )
    })
    .delete('/organisations/:id/trust/:issuer', allow(ctx, 'organisation:write'), async (c) => {
      const organisationId = c.var.organisationId
      // Hono has already decoded the parameter once; decoding again would corrupt or throw on `%`.
      const issuer = c.req.param('issuer')
      if (!didSchema.safeParse(issuer).success) {
        throw new ClavisError({ code: 'invalid_did', message: `"${issuer.slice(0, 80)}" is not a DID.` })
      }
      const typeParam = c.req.query('type')
      let types: CredentialType[] | undefined
      if (typeParam !== undefined) {
        if (!(CREDENTIAL_TYPES as readonly string[]).includes(typeParam)) {
          throw new ClavisError({
            code: 'invalid_request',
            message: `Unknown credential type "${typeParam}". One of: ${CREDENTIAL_TYPES.join(', ')}.`,
          })
        }
        types = [typeParam as CredentialType]
      }
      return c.json({
        entries: await removeTrust(ctx, { organisationId, issuer, ...(types ? { types } : {}) }),
      })
    })
}
