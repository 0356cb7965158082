import type { Operation } from '@clavis/api'
import type { MiddlewareHandler } from 'hono'

/** A route pages of any origin may read: a GET path template (`{name}` is one path segment). */
export interface CrossOriginRoute {
  method: 'GET'
  path: string
}

/** Options of {@link crossOriginReads}. */
export interface CrossOriginReadsOptions {
  routes: readonly CrossOriginRoute[]
  /** How long a browser may reuse a preflight answer; default 86400 s (browsers cap it lower). */
  maxAgeSeconds?: number
}

/** Request headers a page may add (beyond the CORS-safelisted ones): cache control and revalidation. */
const ALLOWED_REQUEST_HEADERS = 'Cache-Control, If-Modified-Since, If-None-Match'
/** Response headers a page may read beyond the safelisted ones (Cache-Control, Content-Type, … already are). */
const EXPOSED_RESPONSE_HEADERS = 'Retry-After'
const ALLOWED_METHODS = 'GET, HEAD'

function matcherOf(route: CrossOriginRoute): RegExp {
  if (route.method !== 'GET')
    throw new TypeError(
      `crossOriginReads: ${route.method} ${route.path}: only GET routes may be read cross-origin.`,
    )
  if (!/^\/[\x21-\x7e]*$/.test(route.path))
    throw new TypeError(`crossOriginReads: "${route.path}" is not an absolute path template.`)
  const pattern = route.path
    .split(/(\{\w+\})/)
    .map((part) => (/^\{\w+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${pattern}$`)
}

/**
 * The routes of a contract table that other origins may read (`crossOrigin: true`).
 *
 * @example
 * crossOriginRoutesOf(OPERATIONS) // [{ method: 'GET', path: '/v1/openapi.json' }, …]
 */
export function crossOriginRoutesOf(operations: Readonly<Record<string, Operation>>): CrossOriginRoute[] {
  return Object.values(operations)
    .filter((op) => op.crossOrigin)
    .map((op) => ({ method: op.method as 'GET', path: op.path }))
}

/**
 * Middleware: CORS for public, read-only resources (Token Status List §8.1: browser-based wallets
 * and verifiers fetch status lists, DID documents and metadata from a page). On the given routes
 * only: every GET/HEAD answer (errors included) carries `Access-Control-Allow-Origin: *` and
 * `Access-Control-Expose-Headers`; a preflight (`OPTIONS` with `Access-Control-Request-Method:
 * GET` or `HEAD`) is answered 204 with the allowed methods and headers. Never
 * `Access-Control-Allow-Credentials`: these answers are the same for everyone, so no cookie or
 * token is wanted; the same `*` for every request means no `Vary: Origin`. Any other path (staff
 * and operator endpoints) gets no CORS header, so browsers keep it same-origin. Throws a
 * `TypeError` when built with a non-GET route or a bad path.
 *
 * @example
 * app.use('*', crossOriginReads({ routes: crossOriginRoutesOf(OPERATIONS) }))
 */
export function crossOriginReads(options: CrossOriginReadsOptions): MiddlewareHandler {
  const matchers = options.routes.map(matcherOf)
  const maxAge = String(options.maxAgeSeconds ?? 86_400)
  if (!/^\d{1,9}$/.test(maxAge))
    throw new TypeError('crossOriginReads: maxAgeSeconds must be a whole number.')
  const readable = (path: string) => matchers.some((m) => m.test(path))
  return async (c, next) => {
    const method = c.req.method
    if (method === 'OPTIONS') {
      const requested = c.req.header('Access-Control-Request-Method')
      if ((requested === 'GET' || requested === 'HEAD') && readable(c.req.path)) {
        return c.body(null, 204, {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Methods': ALLOWED_METHODS,
          'Access-Control-Allow-Headers': ALLOWED_REQUEST_HEADERS,
          'Access-Control-Max-Age': maxAge,
        })
      }
      return next()
    }
    await next()
    if ((method === 'GET' || method === 'HEAD') && readable(c.req.path)) {
      c.header('Access-Control-Allow-Origin', '*')
      c.header('Access-Control-Expose-Headers', EXPOSED_RESPONSE_HEADERS)
    }
  }
}
