import { issueCredentialRequest } from '@clavis/api'
import { ClavisError } from '@clavis/errors'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { type AuthEnv, allow } from '../../http/auth'
import { readBody } from '../../http/body'
import { boolParam, intParam } from '../../http/query'
import { issueCredential } from './issue'
import { getIssuedCredential, listIssuedCredentials } from './issued'

/** Issue, list and get credentials (staff of the organisation). */
export function credentialRoutes(ctx: AgentContext): Hono<AuthEnv> {
  return new Hono<AuthEnv>()
    .post('/organisations/:id/credentials', allow(ctx, 'organisation:write'), async (c) => {
      const organisationId = c.var.organisationId
      const request = await readBody(c, issueCredentialRequest)
      const idempotencyKey = idempotencyKeyOf(c.req.header('idempotency-key'))
      const { replayed, ...issued } = await issueCredential(ctx, { organisationId, request, idempotencyKey })
      // A retry gets the first answer again, status included; the header says it is a replay.
      if (replayed) c.header('Idempotent-Replayed', 'true')
      return c.json(issued, 201)
    })
    .get('/organisations/:id/credentials', allow(ctx, 'organisation:read'), async (c) => {
      const organisationId = c.var.organisationId
      const reissue = boolParam(c.req.query('reissueRequired'), 'reissueRequired')
      return c.json(
        await listIssuedCredentials(ctx, {
          organisationId,
          // limit 0 would reach the database as "no limit".
          limit: intParam(c.req.query('limit'), 'limit', { min: 1, max: 500 }),
          offset: intParam(c.req.query('offset'), 'offset', { min: 0, max: 1_000_000_000 }),
          ...(reissue === undefined ? {} : { reissueRequired: reissue }),
        }),
      )
    })
    .get('/organisations/:id/credentials/:credentialId', allow(ctx, 'organisation:read'), async (c) => {
      const organisationId = c.var.organisationId
      return c.json(await getIssuedCredential(ctx, { organisationId, id: c.req.param('credentialId') }))
    })
}

/** The `Idempotency-Key` header: 1–128 visible ASCII characters, or absent. */
function idempotencyKeyOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!/^[\x21-\x7e]{1,128}$/.test(value)) {
    throw new ClavisError({
      code: 'invalid_request',
      message: 'Idempotency-Key is 1 to 128 visible ASCII characters (a UUID is a good one).',
      issues: [
        { path: 'Idempotency-Key', code: 'invalid_format', message: '1–128 visible ASCII characters' },
      ],
    })
  }
  return value
}
