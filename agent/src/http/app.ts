import { errorBody, httpStatusOf, isErrorCode, OPERATIONS, retryAfterOf } from '@clavis/api'
import { ClavisError } from '@clavis/errors'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { auditRoutes } from '../audit/routes'
import type { AgentContext } from '../context'
import { accessRoutes } from '../features/access/routes'
import { didRoutes } from '../features/dids/routes'
import { healthRoutes } from '../features/health/routes'
import { walletRoutes } from '../features/inbox/routes'
import { credentialRoutes } from '../features/issuance/routes'
import { issuerProtocolRoutes, offerRoutes } from '../features/oid4vci/routes'
import { verifierProtocolRoutes, vpRequestRoutes } from '../features/oid4vp/routes'
import { organisationRoutes } from '../features/organisations/routes'
import { presentationRoutes } from '../features/presentations/routes'
import { verifyRoutes } from '../features/presentations/verify-routes'
import { fhirRoutes } from '../features/records/fhir-routes'
import { patientRoutes } from '../features/records/routes'
import { statusRoutes } from '../features/status/routes'
import { trustRoutes } from '../features/trust/routes'
import { crossOriginReads, crossOriginRoutesOf } from './cross-origin'
import { buildOpenApi } from './openapi'
import type { ShutdownGate } from './shutdown-gate'
import { outageOf } from './unexpected-errors'

/** Largest accepted request body. */
export const MAX_BODY_BYTES = 64 * 1024
/** Largest body of a batch verification (`POST /v1/organisations/:id/verify/batch`, ≤ 1000 JWT-VCs). */
export const MAX_BATCH_BODY_BYTES = 4 * 1024 * 1024
const BATCH_PATH = /^\/v1\/organisations\/[^/]+\/verify\/batch$/

/** The body limit middleware for `maxSize` bytes: larger bodies are 413 `payload_too_large`. */
const limitBody = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ClavisError({
        code: 'payload_too_large',
        message: `The body is larger than ${maxSize} bytes.`,
      })
    },
  })

/**
 * The agent's HTTP API (`/v1`). Every error is `{ code, message, path? }` with a 4xx status for bad
 * input; unexpected failures are logged and answered 500 `internal` without details.
 *
 * @example
 * const res = await createApp(ctx).request('/v1/health')
 */
export function createApp(ctx: AgentContext, options: { gate?: ShutdownGate } = {}): Hono {
  const app = new Hono()
  // First, so that every answer of a cross-origin route (a refusal while stopping too) can be read.
  app.use('*', crossOriginReads({ routes: crossOriginRoutesOf(OPERATIONS) }))
  if (options.gate) app.use('*', options.gate.middleware)
  const bodyLimits = { usual: limitBody(MAX_BODY_BYTES), batch: limitBody(MAX_BATCH_BODY_BYTES) }
  app.use('*', (c, next) => (BATCH_PATH.test(c.req.path) ? bodyLimits.batch : bodyLimits.usual)(c, next))
  // A NUL in the path (`%00`) reaches no route: no database stores it as text.
  app.use('*', async (c, next) => {
    if (c.req.path.includes('\u0000') || /%00/.test(c.req.url)) {
      throw new ClavisError({
        code: 'invalid_request',
        message: 'The path may not contain the NUL character (%00).',
      })
    }
    await next()
  })
  app.use('*', async (c, next) => {
    await next()
    c.header('X-Content-Type-Options', 'nosniff')
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store')
  })
  app.get('/v1/openapi.json', (c) => c.json(buildOpenApi()))
  app.route('/v1', healthRoutes(ctx))
  app.route('/v1', organisationRoutes(ctx))
  app.route('/v1', didRoutes(ctx))
  app.route('/v1', credentialRoutes(ctx))
  app.route('/v1', trustRoutes(ctx))
  app.route('/v1', verifyRoutes(ctx))
  app.route('/v1', statusRoutes(ctx))
  app.route('/v1', presentationRoutes(ctx))
  app.route('/v1', offerRoutes(ctx))
  app.route('/v1', vpRequestRoutes(ctx))
  app.route('/v1', auditRoutes(ctx))
  app.route('/v1', patientRoutes(ctx))
  app.route('/v1', accessRoutes(ctx))
  app.route('/v1', walletRoutes(ctx))
  // OpenID4VCI for wallets: outside /v1, at the paths the protocol gives them.
  app.route('/', issuerProtocolRoutes(ctx))
  app.route('/', verifierProtocolRoutes(ctx))
  app.route('/', fhirRoutes(ctx))
  app.notFound((c) =>
    c.json(
      { code: 'not_found', message: `No route ${c.req.method} ${c.req.path}. See /v1/openapi.json.` },
      404,
    ),
  )
  app.onError((err, c) => {
    // A library's own error code reaching here unconverted is a bug: it falls through to 500.
    if (err instanceof ClavisError && isErrorCode(err.code)) {
      const retryAfter = retryAfterOf(err.code)
      if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter))
      if (httpStatusOf(err.code) >= 500)
        ctx.log.error('failed', {
          method: c.req.method,
          path: c.req.path,
          code: err.code,
          error: err.message,
        })
      return c.json(errorBody(err), httpStatusOf(err.code) as 400)
    }
    const status = (err as { status?: number }).status
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return c.json({ code: 'invalid_request', message: err.message }, status as 400)
    }
    // Text the database cannot store (PostgreSQL: invalid byte sequence) is bad input, not a fault.
    const sqlState = (err as { driverError?: { code?: string } }).driverError?.code
    if (sqlState === '22021' || sqlState === '22P05')
      return c.json(
        { code: 'invalid_request', message: 'The request holds text the database cannot store.' },
        400,
      )
    const outage = outageOf(err)
    if (outage) {
      ctx.log.error('outage', {
        method: c.req.method,
        path: c.req.path,
        code: outage.code,
        error: err.message,
      })
      c.header('Retry-After', String(outage.retryAfterSeconds))
      return c.json({ code: outage.code, message: outage.message }, httpStatusOf(outage.code) as 503)
    }
    ctx.log.error('unexpected error', { method: c.req.method, path: c.req.path, error: err.message })
    return c.json({ code: 'internal', message: 'Unexpected error; it has been logged.' }, 500)
  })
  return app
}
