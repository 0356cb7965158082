import { type BuildCredentialOptions, checkBuildOptions } from './build-credential'
import type { CredentialType } from './credential-types'
import type { UnsignedCredentialV2 } from './w3c'
import { toDateTime, VC_CONTEXT_V2 } from './w3c'

/**
 * Builds an unsigned W3C VC Data Model 2.0 credential (the claims set a VC-JOSE-COSE `vc+jwt`
 * secures) after the same checks as `buildCredential`: the v2 context alone (it defines the
 * Bitstring Status List terms), `issuer` as the DID, `validFrom` and `validUntil` (VC DM 2.0 §4.9)
 * in UTC with whole seconds. Throws {@link CredentialClaimsError} naming every bad field.
 *
 * @example
 * const credential = buildCredentialV2({
 *   type: 'ClinicianLicenseCredential', issuer: boardDid, subject: clinicianDid, claims,
 *   validFrom: new Date(), validUntil: new Date('2028-06-01T00:00:00Z'),
 *   credentialStatus: [bitstringStatusEntry({ listUrl, index, purpose: 'revocation' })],
 * })
 * const jwt = await signJwt({ header: { alg: 'ES256K', typ: 'vc+jwt', kid }, payload: credential, signer })
 */
export function buildCredentialV2<T extends CredentialType>(
  options: BuildCredentialOptions<T>,
): UnsignedCredentialV2 {
  const claims = checkBuildOptions(options)
  const { type, issuer, subject, validFrom, validUntil, id, credentialStatus } = options
  const credential: UnsignedCredentialV2 = {
    '@context': [VC_CONTEXT_V2],
    type: ['VerifiableCredential', type],
    ...(id !== undefined ? { id } : {}),
    issuer,
    validFrom: toDateTime(validFrom),
    ...(validUntil !== undefined ? { validUntil: toDateTime(validUntil) } : {}),
    credentialSubject: { id: subject, ...claims },
  }
  if (credentialStatus !== undefined) credential.credentialStatus = [...credentialStatus]
  return credential
}
