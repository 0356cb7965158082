/** The three credential types Clavis issues and accepts. */
export type CredentialType =
  | 'ClinicianLicenseCredential'
  | 'PatientIdentityCredential'
  | 'AccessGrantCredential'

/** Every credential type, in a fixed order. */
export const CREDENTIAL_TYPES: readonly CredentialType[] = Object.freeze([
  'ClinicianLicenseCredential',
  'PatientIdentityCredential',
  'AccessGrantCredential',
])

/**
 * Tells whether a value is one of our credential type names (exact, case-sensitive).
 *
 * @example
 * isCredentialType('AccessGrantCredential') // true
 * isCredentialType('VerifiableCredential') // false
 */
export function isCredentialType(x: unknown): x is CredentialType {
  return typeof x === 'string' && (CREDENTIAL_TYPES as readonly string[]).includes(x)
}
