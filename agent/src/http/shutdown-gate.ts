import { ClavisError } from '@clavis/errors'
import type { MiddlewareHandler } from 'hono'

/**
 * Lets a stopping agent finish what it accepted and refuse what it did not: after `close()` a new
 * request is answered 503 `shutting_down` (with `Connection: close`), and `drained(ms)` resolves
 * when every request already in flight has answered, or the time is up.
 *
 * @example
 * const gate = createShutdownGate()
 * app.use('*', gate.middleware)
 * gate.close(); await gate.drained(10_000)
 */
export function createShutdownGate() {
  let closing = false
  let inFlight = 0
  let idle: (() => void) | undefined
  const middleware: MiddlewareHandler = async (c, next) => {
    if (closing) {
      c.header('Connection', 'close')
      c.header('Retry-After', '5')
      throw new ClavisError({ code: 'shutting_down', message: 'The agent is stopping; retry in a moment.' })
    }
    inFlight++
    try {
      await next()
    } finally {
      inFlight--
      if (inFlight === 0) idle?.()
    }
  }
  return {
    middleware,
    close(): void {
      closing = true
    },
    get closing(): boolean {
      return closing
    },
    drained(ms: number): Promise<boolean> {
      if (inFlight === 0) return Promise.resolve(true)
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), ms)
        idle = () => {
          clearTimeout(timer)
          resolve(true)
        }
      })
    },
  }
}

/** A shutdown gate. */
export type ShutdownGate = ReturnType<typeof createShutdownGate>
