import type { ErrorCode } from '@clavis/errors'

/**
 * How each error code reads over HTTP: the one place where codes meet statuses (the API's edge).
 * Start-up codes never reach a client; they map to 500 for completeness.
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
  idempotency_key_reused: 422,
  unauthorized: 401,
  forbidden: 403,
  invalid_request_secret: 403,
  access_denied: 403,
  rate_limited: 429,
  invalid_dpop_proof: 401,
  not_found: 404,
  unknown_did: 404,
  invalid_did: 400,
  did_deactivated: 409,
  issuer_deactivated: 410,
  conflict: 409,
  signing_key_not_current: 409,
  signing_key_expires_first: 409,
  invalid_status_list: 422,
  stale_status_list: 409,
  invalid_grant: 400,
  unsupported_grant_type: 400,
  invalid_token: 401,
  invalid_proof: 400,
  invalid_nonce: 400,
  invalid_credential_request: 400,
  unknown_credential_configuration: 400,
  chain_unavailable: 503,
  storage_unavailable: 503,
  insufficient_storage: 507,
  shutting_down: 503,
  refused_address: 422,
  fetch_failed: 502,
  invalid_config: 500,
  invalid_secret_key: 500,
  data_folder_in_use: 500,
  chain_start_failed: 500,
  internal: 500,
} as const satisfies Record<ErrorCode, number>

/** The HTTP status for an error code. @example httpStatusOf('not_found') // 404 */
export function httpStatusOf(code: ErrorCode): number {
  return ERROR_STATUS[code]
}

/** Whether clients should retry after a while (outages): the seconds to wait, else undefined. */
export function retryAfterOf(code: ErrorCode): number | undefined {
  switch (code) {
    case 'chain_unavailable':
    case 'shutting_down':
      return 5
    case 'storage_unavailable':
      return 10
    case 'insufficient_storage':
      return 60
    case 'rate_limited':
      return 10
    default:
      return undefined
  }
}

export { isErrorCode } from '@clavis/errors'
export type { ErrorCode }
