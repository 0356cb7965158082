/**
 * Every stable error code of Clavis, whatever surface reports it (HTTP API, CLI, start-up). Codes
 * are part of the contract: add new ones, never rename. How a code reads over HTTP (its status) is
 * decided at the edge, in `@clavis/api`.
 */
export const ERROR_CODES = [
  // The request
  'malformed_json',
  'invalid_request',
  'invalid_claims',
  'payload_too_large',
  'unsupported_media_type',
  'idempotency_key_reused',
  // Who asks
  'unauthorized',
  'forbidden',
  'invalid_request_secret',
  'access_denied',
  'rate_limited',
  'invalid_dpop_proof',
  // What it names
  'not_found',
  'unknown_did',
  'invalid_did',
  'did_deactivated',
  'issuer_deactivated',
  'conflict',
  'signing_key_not_current',
  'signing_key_expires_first',
  'invalid_status_list',
  'stale_status_list',
  // OAuth 2.0 and OpenID4VCI (RFC 6749 §5.2, RFC 6750 §3.1, OpenID4VCI 1.0 §8.3.1): the issuer's
  // protocol endpoints answer these as `{ error, error_description }`
  'invalid_grant',
  'unsupported_grant_type',
  'invalid_token',
  'invalid_proof',
  'invalid_nonce',
  'invalid_credential_request',
  'unknown_credential_configuration',
  // The machine
  'chain_unavailable',
  'storage_unavailable',
  'insufficient_storage',
  'shutting_down',
  'refused_address',
  'fetch_failed',
  // Start-up and configuration (never an HTTP answer)
  'invalid_config',
  'invalid_secret_key',
  'data_folder_in_use',
  'chain_start_failed',
  // A bug
  'internal',
] as const

/** One of Clavis's error codes. */
export type ErrorCode = (typeof ERROR_CODES)[number]

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES)

/** Whether a string is one of Clavis's error codes. @example isErrorCode('not_found') // true */
export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && KNOWN.has(x)
}
