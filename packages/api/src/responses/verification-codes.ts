/**
 * Why a verification check failed: the stable codes of `@clavis/verify` (`VerificationFailureCode`;
 * a type test keeps the two equal). `not_checked` marks a check an earlier failure kept from running.
 */
export const VERIFICATION_FAILURE_CODES = [
  'malformed',
  'unsupported_algorithm',
  'unexpected_header',
  'did_not_resolved',
  'did_deactivated',
  'invalid_signature',
  'no_matching_key',
  'issuer_mismatch',
  'untrusted_issuer',
  'expired',
  'not_yet_valid',
  'missing_expiry',
  'schema_invalid',
  'status_missing',
  'status_unknown',
  'status_list_invalid',
  'revoked',
  'suspended',
  'holder_mismatch',
  'key_binding_missing',
  'key_binding_invalid',
  'nonce_mismatch',
  'audience_mismatch',
  'nonce_replayed',
  'disclosure_invalid',
  'not_checked',
] as const
