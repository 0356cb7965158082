import type { ErrorCode, FieldIssue } from '@clavis/errors'
import type { HttpMethod } from './operation'

/**
 * Codes of failures the client sees that are not the agent's answer: no answer at all
 * (`agent_unreachable`), none in time (`agent_timeout`), an answer the contract does not allow
 * (`bad_response`: not JSON, too large, an undocumented status or body), or an error answer that
 * is not an error body (`http_error`: e.g. from a proxy).
 */
export type ClientErrorCode = 'agent_unreachable' | 'agent_timeout' | 'bad_response' | 'http_error'

/** Every code an {@link ApiError} may carry: the agent's error codes and the client's own. */
export type ApiErrorCode = ErrorCode | ClientErrorCode

/** Where the call went. */
export interface ApiRequestInfo {
  /** The operation's name in `OPERATIONS`. */
  operation: string
  method: HttpMethod
  /** The full URL, path parameters and query filled in. */
  url: string
}

/** What an {@link ApiError} is made of. */
export interface ApiErrorOptions {
  code: ApiErrorCode
  message: string
  request: ApiRequestInfo
  /** The HTTP status; 0 when there was no answer. */
  status?: number
  /** The first bad field (the error body's `path`). */
  path?: string | undefined
  issues?: FieldIssue[] | undefined
  retryAfterSeconds?: number | undefined
  /** The answer's body as received (parsed JSON when it was JSON). */
  body?: unknown
  cause?: unknown
}

/**
 * A call of the API that did not succeed: the agent's error (its `code`, `message`, bad fields and
 * HTTP status) or the client's own failure (see {@link ClientErrorCode}).
 *
 * @example
 * try {
 *   await client.issueCredential({ params: { id }, body })
 * } catch (e) {
 *   if (e instanceof ApiError && e.code === 'invalid_claims') console.log(e.issues)
 * }
 */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  readonly code: ApiErrorCode
  /** The HTTP status; 0 when there was no answer. */
  readonly status: number
  /** The first bad field, as the error body names it. */
  readonly path: string | undefined
  /** Every bad field (empty when the error is not about fields). */
  readonly issues: FieldIssue[]
  /** For outages: how long to wait before retrying (the `Retry-After` header). */
  readonly retryAfterSeconds: number | undefined
  readonly request: ApiRequestInfo
  /** The answer's body as received. */
  readonly body: unknown

  constructor(options: ApiErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = options.code
    this.status = options.status ?? 0
    this.path = options.path
    this.issues = options.issues ?? []
    this.retryAfterSeconds = options.retryAfterSeconds
    this.request = options.request
    this.body = options.body
  }
}

/**
 * Whether `e` is an {@link ApiError} (with one of the given codes, when given).
 *
 * @example
 * if (isApiError(e, 'chain_unavailable', 'shutting_down')) await sleep((e.retryAfterSeconds ?? 5) * 1000)
 */
export function isApiError<C extends ApiErrorCode>(e: unknown, ...codes: C[]): e is ApiError & { code: C } {
  return e instanceof ApiError && (codes.length === 0 || (codes as ApiErrorCode[]).includes(e.code))
}
