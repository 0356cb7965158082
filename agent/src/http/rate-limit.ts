import { ClavisError } from '@clavis/errors'
import type { MiddlewareHandler } from 'hono'

/**
 * Middleware: at most `max` requests per `windowMs` for each key (e.g. per organisation, for an
 * endpoint anyone may call that writes something): more get 429 `rate_limited` with
 * `Retry-After`. Counts in fixed windows, in this process's memory. It bounds what anonymous
 * callers can make the agent store and append to the audit trail; it is not per client (behind
 * the web app's pass-through every browser shares one address).
 *
 * @example
 * app.post('/organisations/:id/access/requests', rateLimit({ max: 600, windowMs: 60_000, key: (c) => c.req.param('id') }), handler)
 */
export function rateLimit(options: {
  max: number
  windowMs: number
  key: (c: Parameters<MiddlewareHandler>[0]) => string
  what: string
}): MiddlewareHandler {
  const windows = new Map<string, { start: number; count: number }>()
  return async (c, next) => {
    const now = Date.now()
    const key = options.key(c)
    let w = windows.get(key)
    if (!w || now - w.start >= options.windowMs) {
      if (windows.size > 10_000) windows.clear()
      w = { start: now, count: 0 }
      windows.set(key, w)
    }
    if (++w.count > options.max)
      throw new ClavisError({
        code: 'rate_limited',
        message: `Too many ${options.what} at once here: try again in ${Math.ceil((w.start + options.windowMs - now) / 1000)} s.`,
      })
    await next()
  }
}
