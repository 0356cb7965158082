import type { CredentialType } from '@clavis/credentials'

/**
 * Claims that are never selectively disclosable, nor any part of them: validity, binding, status
 * and type claims must be visible to every verifier (draft-ietf-oauth-sd-jwt-vc-18 §2.2.2.3 lists
 * all but `sub`, `iat`, `jti` and `aud`, which we add). Refused at issue time and in verification.
 */
export const NEVER_DISCLOSABLE: readonly string[] = Object.freeze([
  'iss',
  'sub',
  'iat',
  'nbf',
  'exp',
  'cnf',
  'status',
  'vct',
  'vct#integrity',
  'aka_vcts',
  'jti',
  'aud',
])

/**
 * The top-level claims made selectively disclosable by default, per credential type (see
 * docs/decisions/0008-sd-jwt-vc.md for why).
 *
 * @example
 * DEFAULT_DISCLOSABLE.ClinicianLicenseCredential // ['npi']
 */
export const DEFAULT_DISCLOSABLE: Readonly<Record<CredentialType, readonly string[]>> = Object.freeze({
  PatientIdentityCredential: Object.freeze([
    'name',
    'birthDate',
    'identifier',
    'insuranceMemberId',
    'address',
    'identityAssuranceLevel',
  ]),
  ClinicianLicenseCredential: Object.freeze(['npi']),
  // Nothing: the hospital must see a grant's every limit (a hidden `records` list would widen it, ADR 0008).
  AccessGrantCredential: Object.freeze([]),
})
