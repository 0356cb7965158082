import { didSchema, statusChangeRequest } from '@clavis/api'
import { ClavisError } from '@clavis/errors'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { type AuthEnv, allow } from '../../http/auth'
import { readBody } from '../../http/body'
import { changeStatus } from './change-status'
import { isListName } from './groups'
import { currentList } from './lists'
import { acceptUploadedList, uploadedList } from './uploaded'

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
      const list = await uploadedList(ctx, { did, name })
      c.header('Cache-Control', 'public, max-age=30')
      return c.body(list.jwt, 200, { 'Content-Type': list.mediaType })
    })
    .put('/status-lists/dids/:did/:name', async (c) => {
      const did = c.req.param('did')
      const name = c.req.param('name')
      checkDidAndName(did, name)
      if (!UPLOAD_TYPES.test(c.req.header('content-type') ?? '')) {
        throw new ClavisError({
          code: 'unsupported_media_type',
          message:
            'Upload the signed list (the compact JWT as the body) as "Content-Type: application/statuslist+jwt" (Token Status List), "application/vc+jwt" (VC 2.0 Bitstring Status List) or "application/jwt" (VC 1.1).',
        })
      }
      const jwt = (await c.req.text()).trim()
      return c.json(await acceptUploadedList(ctx, { did, name, jwt }), 201)
    })
    .get('/status-lists/:group/:name', async (c) => {
      const name = c.req.param('name')
      if (!isListName(name)) {
        throw new ClavisError({ code: 'not_found', message: `No status list named "${name}".` })
      }
      const list = await currentList(ctx, { groupId: c.req.param('group'), name })
      c.header('Cache-Control', `public, max-age=${list.maxAgeSeconds}`)
      return c.body(list.jwt, 200, { 'Content-Type': list.contentType })
    })
}
