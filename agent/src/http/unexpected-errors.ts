import type { ErrorCode } from '@clavis/api'

/** An infrastructure failure as the API answers it: a code, a status, what to do, when to retry. */
export interface OutageAnswer {
  code: ErrorCode & ('chain_unavailable' | 'storage_unavailable' | 'insufficient_storage')
  message: string
  retryAfterSeconds: number
}

const codeOf = (e: unknown): string | undefined => {
  const err = e as { code?: unknown; driverError?: { code?: unknown }; cause?: unknown } | undefined
  const code = err?.driverError?.code ?? err?.code
  return typeof code === 'string' ? code : undefined
}

/**
 * Classifies an error that is not a `ClavisError`: the chain not answering, the disk full, the
 * database unreachable or read-only. Undefined for anything else (a bug: 500). Outages are 503/507
 * with a code, distinct from "not valid" and from bad input.
 *
 * @example
 * const outage = outageOf(err) // { code: 'chain_unavailable', … }
 */
export function outageOf(e: unknown): OutageAnswer | undefined {
  const seen = new Set<unknown>()
  for (let cur: unknown = e; cur && !seen.has(cur); cur = (cur as { cause?: unknown }).cause) {
    seen.add(cur)
    const code = codeOf(cur)
    const message = (cur as Error).message ?? ''
    if (code === 'insufficient_storage' || code === 'ENOSPC' || code === 'SQLITE_FULL' || code === '53100')
      return {
        code: 'insufficient_storage',
        message: 'The disk is full: nothing was stored. Free disk space, then retry.',
        retryAfterSeconds: 60,
      }
    if (
      code === 'SQLITE_READONLY' ||
      code === 'EROFS' ||
      code === 'SQLITE_IOERR' ||
      code === 'SQLITE_CANTOPEN' ||
      code === '57P01' ||
      /Connection terminated|database system is (starting up|shutting down)/i.test(message)
    )
      return {
        code: 'storage_unavailable',
        message: 'The database cannot be written or reached right now: nothing was stored. Retry shortly.',
        retryAfterSeconds: 10,
      }
    if (
      code === 'chain_unavailable' ||
      code === 'NETWORK_ERROR' ||
      code === 'TIMEOUT' ||
      /ECONNREFUSED|ECONNRESET|could not detect network|socket hang up|request timeout/i.test(message)
    )
      return {
        code: 'chain_unavailable',
        message: 'The chain is not reachable right now. Retry shortly.',
        retryAfterSeconds: 5,
      }
  }
  return undefined
}
