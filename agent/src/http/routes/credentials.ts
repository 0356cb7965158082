import { ClavisError, didSchema, issueCredentialRequest, trustEntryRequest } from '@clavis/api'
import { CREDENTIAL_TYPES, type CredentialType } from '@clavis/credentials'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { getIssuedCredential, issueCredential, listIssuedCredentials } from '../../credentials/issue'
import { addTrust, getTrustList, removeTrust } from '../../credentials/trust'
import { asStaff } from '../auth'
import { readBody } from '../body'

function intParam(value: string | undefined, name: string, max: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new ClavisError({
      code: 'invalid_request',
      message: `Query parameter "${name}" must be a whole number from 0 to ${max}.`,
      issues: [{ path: name, code: 'out_of_range', message: `0..${max}` }],
    })
  }
  return n
}

/** Issue, list and get credentials; keep the trust list (all staff of the organisation). */
export function credentialRoutes(ctx: AgentContext): Hono {
  return new Hono()
    .post('/organisations/:id/credentials', async (c) => {
      const organisationId = await asStaff(ctx, c)
      const request = await readBody(c, issueCredentialRequest)
      return c.json(await issueCredential(ctx, { organisationId, request }), 201)
    })
    .get('/organisations/:id/credentials', async (c) => {
      const organisationId = await asStaff(ctx, c)
      const reissue = c.req.query('reissueRequired')
      return c.json(
        await listIssuedCredentials(ctx, {
          organisationId,
          limit: intParam(c.req.query('limit'), 'limit', 500),
          offset: intParam(c.req.query('offset'), 'offset', 1_000_000_000),
          ...(reissue === undefined ? {} : { reissueRequired: reissue === 'true' }),
        }),
      )
    })
    .get('/organisations/:id/credentials/:credentialId', async (c) => {
      const organisationId = await asStaff(ctx, c)
      return c.json(await getIssuedCredential(ctx, { organisationId, id: c.req.param('credentialId') }))
    })
    .get('/organisations/:id/trust', async (c) => {
      const organisationId = await asStaff(ctx, c)
      return c.json({ entries: await getTrustList(ctx, organisationId) })
    })
    .post('/organisations/:id/trust', async (c) => {
      const organisationId = await asStaff(ctx, c)
      const body = await readBody(c, trustEntryRequest)
      return c.json(
        { entries: await addTrust(ctx, { organisationId, issuer: body.issuer, types: body.types }) },
        201,
      )
    })
    .delete('/organisations/:id/trust/:issuer', async (c) => {
      const organisationId = await asStaff(ctx, c)
      const issuer = decodeURIComponent(c.req.param('issuer'))
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
