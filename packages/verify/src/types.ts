import type { CredentialType } from '@clavis/credentials'

/** The checks every verification runs, in the order they are reported. */
export type CheckName =
  | 'signature'
  | 'signerIsIssuer'
  | 'issuerTrust'
  | 'validityPeriod'
  | 'status'
  | 'schema'

/** The presentation-level checks: the holder's signature, that every credential is the holder's, nonce and audience. */
export type PresentationCheckName = 'signature' | 'holderBinding' | 'nonceAudience'

/**
 * Stable codes for why a check failed. `not_checked` marks a check that could not run because an
 * earlier step (decoding the JWT) failed.
 */
export type VerificationFailureCode =
  | 'malformed'
  | 'unsupported_algorithm'
  | 'unexpected_header'
  | 'did_not_resolved'
  | 'did_deactivated'
  | 'invalid_signature'
  | 'no_matching_key'
  | 'issuer_mismatch'
  | 'untrusted_issuer'
  | 'expired'
  | 'not_yet_valid'
  | 'missing_expiry'
  | 'schema_invalid'
  | 'status_missing'
  | 'status_unknown'
  | 'status_list_invalid'
  | 'revoked'
  | 'suspended'
  | 'holder_mismatch'
  | 'key_binding_missing'
  | 'key_binding_invalid'
  | 'nonce_mismatch'
  | 'audience_mismatch'
  | 'nonce_replayed'
  | 'disclosure_invalid'
  | 'not_checked'

/** A failed check: a stable code and a human-readable reason saying what is wrong. */
export type CheckFailure = { passed: false; code: VerificationFailureCode; reason: string }

/** The outcome of one check. */
export type CheckResult = { passed: true } | CheckFailure

/**
 * The verification envelope. `valid` is true only if every check passed; every check is always
 * present. The descriptive fields (`issuer`, `subject`, `type`, `id`, `validFrom`, `validUntil`) are
 * read from the decoded payload and are only authoritative when `valid` is true.
 */
export interface VerificationResult {
  /** True only if every check in `checks` passed. */
  valid: boolean
  /** The credential format that was verified. */
  format: 'jwt_vc' | 'dc+sd-jwt'
  /** Every check, passed or not, with a code and reason when not. */
  checks: Record<CheckName, CheckResult>
  /** The JWT `iss` (the DID whose key must have signed the credential). */
  issuer?: string
  /** The JWT `sub` or `credentialSubject.id`. */
  subject?: string
  /** The credential type, when exactly one known type is present. */
  type?: CredentialType
  /** The credential id (`jti` or `vc.id`). */
  id?: string
  /** Start of the effective validity window (ISO 8601). */
  validFrom?: string
  /** End of the effective validity window (ISO 8601). */
  validUntil?: string
  /** The verification method that matched the signature; present only when the signature check passed. */
  signer?: { kid: string }
}

/** A plain JSON object, as decoded from a JWT segment. */
export type JsonObject = Record<string, unknown>
