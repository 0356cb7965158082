/**
 * Stable, machine-readable error codes of the Clavis HTTP API, with the HTTP status each maps to.
 * The one place where codes meet statuses.
 *
 * @example
 * httpStatusOf('unauthorized') // 401
 */
export const ERROR_STATUS = {
  malformed_json: 400,
  invalid_request: 400,
  invalid_claims: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthorized: 401,
  forbidden: 403,
  invalid_request_secret: 403,
  not_found: 404,
  unknown_did: 404,
  invalid_did: 400,
  did_deactivated: 409,
  issuer_deactivated: 410,
  conflict: 409,
  signing_key_not_current: 409,
  idempotency_key_reused: 422,
  insufficient_storage: 507,
  invalid_status_list: 422,
  stale_status_list: 409,
  chain_unavailable: 503,
  storage_unavailable: 503,
  shutting_down: 503,
  internal: 500,
} as const

/** One of the API's error codes. */
export type ErrorCode = keyof typeof ERROR_STATUS

/** The HTTP status for an error code. @example httpStatusOf('not_found') // 404 */
export function httpStatusOf(code: ErrorCode): number {
  return ERROR_STATUS[code]
}

/** Whether a string is one of the API's error codes. */
export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && Object.hasOwn(ERROR_STATUS, x)
}
