import { verifyRequest } from '@clavis/api'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { readBody } from '../../http/body'
import { verifyCredential } from './verify'

/** `POST /v1/verify` (public): the verification envelope of a JWT-VC. */
export function verifyRoutes(ctx: AgentContext): Hono {
  return new Hono().post('/verify', async (c) => {
    const body = await readBody(c, verifyRequest)
    return c.json(await verifyCredential(ctx, body))
  })
}
