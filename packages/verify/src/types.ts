import type { CredentialType } from '@clavis/credentials'
import type { Failure, Result } from '@clavis/crypto'

/** The checks every credential gets, in the order they are reported. */
export type CheckName =
  | 'signature'
  | 'signerIsIssuer'
  | 'issuerTrust'
  | 'validityPeriod'
  | 'status'
  | 'schema'

/**
 * The presentation-level checks, the same for every format: the holder's signature over the
 * request (JWT VP signature, SD-JWT KB-JWT), that every credential is the holder's, and that the
 * nonce and audience are this request's, fresh and used once.
 */
export type PresentationCheckName = 'signature' | 'holderBinding' | 'nonceAudience'

/**
 * Stable codes for why a check failed. `not_checked` marks a check that could not run because an
 * earlier step failed (its reason says which).
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

/** Why a verification check failed. */
export type VerificationFailure = Failure<VerificationFailureCode>

/** What every check function returns: its value, or why it failed (or could not run). */
export type CheckOutcome<T = unknown> = Result<T, VerificationFailure>

/**
 * How the envelope reports one check (the wire format of `POST /v1/verify…`): passed, or the
 * failure's code and reason. Built from a {@link CheckOutcome} by `reportChecks`.
 */
export type CheckResult = { passed: true } | { passed: false; code: VerificationFailureCode; reason: string }

/**
 * The verification envelope of one credential. `valid` is true only if every check passed; every
 * check is always present. The descriptive fields (`issuer`, `subject`, `type`, `id`, `validFrom`,
 * `validUntil`) are read from the decoded payload and are only authoritative when `valid` is true.
 */
export interface VerificationResult {
  /** True only if every check in `checks` passed. */
  valid: boolean
  /** The credential format that was verified: VC 1.1 JWT, VC 2.0 `vc+jwt` (VC-JOSE-COSE), or SD-JWT VC. */
  format: 'jwt_vc' | 'vc+jwt' | 'dc+sd-jwt'
  /** Every check, passed or not, with a code and reason when not. */
  checks: Record<CheckName, CheckResult>
  /** The DID whose key must have signed the credential: the JWT `iss` (the `issuer` id of a `vc+jwt`). */
  issuer?: string
  /** The JWT `sub` or `credentialSubject.id`. */
  subject?: string
  /** The credential type, when exactly one known type is present. */
  type?: CredentialType
  /** The credential id (`jti` or `vc.id`; a `vc+jwt`'s `id`). */
  id?: string
  /** Start of the effective validity window (ISO 8601). */
  validFrom?: string
  /** End of the effective validity window (ISO 8601). */
  validUntil?: string
  /** The verification method that matched the signature; present only when the signature check passed. */
  signer?: { kid: string }
}

/** The presentation formats Clavis verifies: VC 1.1 JWT VP, VC 2.0 `vp+jwt` (VC-JOSE-COSE), SD-JWT VC with KB-JWT. */
export type PresentationFormat = 'jwt_vp' | 'vp+jwt' | 'dc+sd-jwt'

/**
 * The envelope of a presentation, the same for both formats: `valid` only if every presentation
 * check passed and every credential inside is valid. Every check is always present; each
 * credential keeps its own envelope.
 */
export interface PresentationVerificationResult {
  valid: boolean
  format: PresentationFormat
  /** The presenter: the VP signer's DID, or the SD-JWT VC's `sub`. */
  holder?: string
  checks: Record<PresentationCheckName, CheckResult>
  credentials: VerificationResult[]
  /** SD-JWT VC: the claims the holder chose to disclose (plus the always-visible ones), once the disclosures verified. */
  disclosed?: Record<string, unknown>
}

/** What a verifier expects of a presentation it asked for. */
export interface PresentationExpectation {
  /** The nonce the verifier issued for this request. */
  nonce: string
  /** The verifier's own identifier (its DID), which the presentation must name as audience. */
  audience: string
}
