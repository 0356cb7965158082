import { httpStatusOf, isErrorCode } from '@clavis/api'
import { ClavisError } from '@clavis/errors'
import type { Context } from 'hono'
import type { AgentContext } from '../context'
import { outageOf } from './unexpected-errors'

// The protocol endpoints (OpenID4VCI, OpenID4VP) speak OAuth: errors as `{ error, error_description }`
// (RFC 6749 §5.2) and calls from pages of any origin (browser wallets).

/** OAuth-style error codes for what is not one already (RFC 6749 §5.2). */
function oauthBodyOf(error: unknown, log: AgentContext['log'], path: string) {
  if (error instanceof ClavisError && isErrorCode(error.code)) {
    const status = httpStatusOf(error.code)
    const code = status >= 500 ? (status === 503 ? 'temporarily_unavailable' : 'server_error') : error.code
    const generic = [
      'malformed_json',
      'payload_too_large',
      'unsupported_media_type',
      'not_found',
      'invalid_claims',
    ]
    return {
      status: generic.includes(code) ? (code === 'not_found' ? 404 : 400) : status,
      body: { error: generic.includes(code) ? 'invalid_request' : code, error_description: error.message },
    }
  }
  const outage = outageOf(error)
  if (outage)
    return { status: 503, body: { error: 'temporarily_unavailable', error_description: outage.message } }
  log.error('unexpected error', { path, error: (error as Error)?.message })
  return {
    status: 500,
    body: { error: 'server_error', error_description: 'Unexpected error; it has been logged.' },
  }
}

/** Runs a protocol handler, answering errors as OAuth error bodies (`{ error, error_description }`). */
export function oauth(ctx: AgentContext, handler: (c: Context) => Promise<Response>) {
  return async (c: Context) => {
    try {
      return await handler(c)
    } catch (error) {
      const { status, body } = oauthBodyOf(error, ctx.log, c.req.path)
      // RFC 6750 §3: a refused bearer token says why in WWW-Authenticate.
      if (body.error === 'invalid_token')
        c.header(
          'WWW-Authenticate',
          `Bearer error="invalid_token", error_description="${body.error_description.replace(/["\\]/g, '')}"`,
        )
      c.header('Cache-Control', 'no-store')
      return c.json(body, status as 400)
    }
  }
}

/** Allows pages of any origin (browser wallets) to call the protocol endpoints; no cookies are used. */
export async function crossOrigin(c: Context, next: () => Promise<void>) {
  if (c.req.method === 'OPTIONS') {
    return c.body(null, 204, {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'GET, POST',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, DPoP',
      'Access-Control-Max-Age': '86400',
    })
  }
  await next()
  c.header('Access-Control-Allow-Origin', '*')
  c.header('Access-Control-Expose-Headers', 'WWW-Authenticate, Retry-After')
}
