import { didSchema, statusChangeRequest } from '@clavis/api'
import { ClavisError } from '@clavis/errors'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { type AuthEnv, allow } from '../../http/auth'
import { readBody } from '../../http/body'
import { changeStatus } from './change-status'
import { currentList, type ListName } from './lists'
import { acceptUploadedList, uploadedList } from './uploaded'

const LIST_NAMES: readonly string[] = ['revocation', 'suspension', 'token']
// The media type exactly (parameters allowed): `\b` would let `application/jwt-x` or `vc+jwt+json` in.
const UPLOAD_TYPES = /^application\/(statuslist\+jwt|vc\+jwt|jwt)\s*(;|$)/i
const NAME = /^[a-z0-9-]{1,64}$/

function checkDidAndName(did: string, name: string): void {
  if (!didSchema.safeParse(did).success) {
    throw new ClavisError({ code: 'invalid_did', message: `"${did.slice(0, 80)}" is not a DID.` })
  }
  if (!NAME.test(name)) {
    throw new ClavisError({
      code: 'invalid_request',
      message: 'A list name is 1–64 lower-case letters, digits or hyphens.',
      issues: [{ path: 'name', code: 'invalid_format', message: 'a-z, 0-9, -' }],
    })
  }
}

/** Revoke/suspend/reinstate (staff); serve status lists (public); accept lists uploaded by a DID's own key. */
export function statusRoutes(ctx: AgentContext): Hono<AuthEnv> {
  return new Hono<AuthEnv>()
    .post(
      '/organisations/:id/credentials/:credentialId/status',
      allow(ctx, 'organisation:write'),
      async (c) => {
        const organisationId = c.var.organisationId
        const { action } = await readBody(c, statusChangeRequest)
        return c.json(
          await changeStatus(ctx, { organisationId, credentialId: c.req.param('credentialId'), action }),
        )
      },
    )
    .get('/status-lists/dids/:did/:name', async (c) => {
      const did = c.req.param('did')
      const name = c.req.param('name')
      checkDidAndName(did, name)
      const jwt = await uploadedList(ctx, { did, name })
      c.header('Cache-Control', 'public, max-age=30')
      return c.body(jwt, 200, { 'Content-Type': 'application/statuslist+jwt' })
    })
    .put('/status-lists/dids/:did/:name', async (c) => {
      const did = c.req.param('did')
      const name = c.req.param('name')
      checkDidAndName(did, name)
      if (!UPLOAD_TYPES.test(c.req.header('content-type') ?? '')) {
        throw new ClavisError({
          code: 'unsupported_media_type',
          message:
            'Upload the signed list as "Content-Type: application/statuslist+jwt" (the compact JWT as the body).',
        })
      }
      const jwt = (await c.req.text()).trim()
      return c.json(await acceptUploadedList(ctx, { did, name, jwt }), 201)
    })
    .get('/status-lists/:group/:name', async (c) => {
      const name = c.req.param('name')
      if (!LIST_NAMES.includes(name)) {
        throw new ClavisError({ code: 'not_found', message: `No status list named "${name}".` })
      }
      const list = await currentList(ctx, { groupId: c.req.param('group'), name: name as ListName })
      c.header('Cache-Control', `public, max-age=${list.maxAgeSeconds}`)
      return c.body(list.jwt, 200, { 'Content-Type': list.contentType })
    })
}
