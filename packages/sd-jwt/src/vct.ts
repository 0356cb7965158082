import type { CredentialType } from '@clavis/credentials'
import { CREDENTIAL_TYPES } from '@clavis/credentials'

/** The `typ` header of an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc ≥ 06). */
export const SD_JWT_VC_TYP = 'dc+sd-jwt'

const VCT_PREFIX = 'urn:clavis:vct:'
const VCT_VERSION = 1

/**
 * The `vct` (verifiable credential type) of one of our credential types.
 *
 * @example
 * vctFor('ClinicianLicenseCredential') // 'urn:clavis:vct:ClinicianLicenseCredential:1'
 */
export function vctFor(type: CredentialType): string {
  return `${VCT_PREFIX}${type}:${VCT_VERSION}`
}

/**
 * The credential type named by a `vct`, or undefined for any other value (exact match only).
 *
 * @example
 * credentialTypeOfVct('urn:clavis:vct:AccessGrantCredential:1') // 'AccessGrantCredential'
 * credentialTypeOfVct('urn:clavis:vct:AccessGrantCredential:2') // undefined
 */
export function credentialTypeOfVct(vct: string): CredentialType | undefined {
  return CREDENTIAL_TYPES.find((type) => vctFor(type) === vct)
}
