import { deliverRequest, inboxKeyRequest } from '@clavis/api'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { readBody } from '../../http/body'
import { rateLimit } from '../../http/rate-limit'
import { dpopVerifierOf } from '../access/dpop'
import { proveHolder } from '../access/holder-proof'
import { accessReport } from '../access/report'
import { deliver, inboxKeyOf, publishInboxKey, readInbox, removeMessage } from './inbox'

/**
 * What a wallet does at a hospital with its DID and no account (`/v1`, public): publish its inbox
 * key, leave an encrypted grant for a clinician, read and clear its own inbox, and read its access
 * report. Reading proves the DID's key with a DPoP proof (RFC 9449) for the request.
 */
export function walletRoutes(ctx: AgentContext): Hono {
  const verifyDpop = dpopVerifierOf(ctx)
  const holder = (c: {
    req: {
      param(n: string): string | undefined
      header(n: string): string | undefined
      method: string
      url: string
    }
  }) =>
    proveHolder(verifyDpop, {
      did: c.req.param('did')!,
      proof: c.req.header('dpop'),
      method: c.req.method,
      url: `${ctx.publicUrl}${new URL(c.req.url).pathname}`,
    })
  // Anyone may publish a key statement for a DID they hold; patients leave messages: bounded per hospital.
  const perHospital = (what: string, max: number) =>
    rateLimit({ max, windowMs: 60_000, key: (c) => c.req.param('id') ?? '', what })
  const limitKeys = perHospital('inbox keys', 600)
  const limitDeliveries = perHospital('inbox messages', 1200)
  return new Hono()
    .put('/organisations/:id/inbox/:did/key', limitKeys, async (c) => {
      const body = await readBody(c, inboxKeyRequest)
      return c.json(
        await publishInboxKey(ctx, {
          organisationId: c.req.param('id'),
          did: c.req.param('did'),
          binding: body.binding,
        }),
      )
    })
    .get('/organisations/:id/inbox/:did/key', async (c) =>
      c.json(await inboxKeyOf(ctx, { organisationId: c.req.param('id'), did: c.req.param('did') })),
    )
    .post('/organisations/:id/inbox/:did', limitDeliveries, async (c) => {
      const body = await readBody(c, deliverRequest)
      // The sender proves their DID's key (a patient of this hospital), as for their access report.
      await proveHolder(verifyDpop, {
        did: body.from,
        proof: c.req.header('dpop'),
        method: 'POST',
        url: `${ctx.publicUrl}${new URL(c.req.url).pathname}`,
      })
      return c.json(
        await deliver(ctx, {
          organisationId: c.req.param('id'),
          recipientDid: c.req.param('did'),
          senderDid: body.from,
          jwe: body.jwe,
        }),
        201,
      )
    })
    .get('/organisations/:id/inbox/:did', async (c) => {
      await holder(c)
      return c.json(await readInbox(ctx, { organisationId: c.req.param('id'), did: c.req.param('did') }))
    })
    .delete('/organisations/:id/inbox/:did/:messageId', async (c) => {
      await holder(c)
      await removeMessage(ctx, {
        organisationId: c.req.param('id'),
        did: c.req.param('did'),
        id: c.req.param('messageId'),
      })
      return c.json({ removed: true })
    })
    .get('/organisations/:id/access-report/:did', async (c) => {
      await holder(c)
      return c.json(await accessReport(ctx, { organisationId: c.req.param('id'), did: c.req.param('did') }))
    })
}
