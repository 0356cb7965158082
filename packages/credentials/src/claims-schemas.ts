import type { z } from 'zod'
import { accessGrantClaims } from './access-grant'
import type { CredentialType } from './credential-types'
import { clinicianLicenseClaims } from './licence'
import { patientIdentityClaims } from './patient-identity'

/** The `credentialSubject` claims schema (without `id`) of each credential type; frozen. */
export const claimsSchemas = Object.freeze({
  ClinicianLicenseCredential: clinicianLicenseClaims,
  PatientIdentityCredential: patientIdentityClaims,
  AccessGrantCredential: accessGrantClaims,
} as const satisfies { [T in CredentialType]: z.ZodType })

/** The claims type of credential type `T`. */
export type ClaimsOf<T extends CredentialType> = z.infer<(typeof claimsSchemas)[T]>
