export type { AccessGrantClaims } from './access-grant'
export { PURPOSES_OF_USE } from './access-grant'
export type { BuildCredentialOptions } from './build-credential'
export { buildCredential } from './build-credential'
export { buildCredentialV2 } from './build-credential-v2'
export type { CheckClaimsOptions, ClaimsCheck } from './check-claims'
export { checkClaims } from './check-claims'
export type { CheckCredentialOptions, CheckedCredential, CredentialCheck } from './check-credential'
export { checkCredential } from './check-credential'
export type { ClaimIssue, ClaimIssueCode } from './claim-issue'
export type { ClaimsOf } from './claims-schemas'
export { claimsSchemas } from './claims-schemas'
export type { CredentialType } from './credential-types'
export { CREDENTIAL_TYPES, isCredentialType } from './credential-types'
export { isDid, MAX_DID_LENGTH } from './did'
export { CredentialClaimsError } from './errors'
export type { ClinicianLicenseClaims } from './licence'
export { isValidNpi } from './npi'
export type { PatientIdentityClaims } from './patient-identity'
export { IDENTITY_ASSURANCE_LEVELS } from './patient-identity'
export type {
  CheckIssuancePeriodOptions,
  CheckValidityPeriodOptions,
  ValidityPeriod,
  ValidityPeriodCheck,
} from './validity-period'
export {
  checkIssuancePeriod,
  checkValidityPeriod,
  DEFAULT_IDENTITY_VALIDITY_DAYS,
  MAX_GRANT_DAYS,
  MAX_START_DELAY_DAYS,
  MAX_VALIDITY_DAYS,
} from './validity-period'
export type { CredentialStatusEntry, UnsignedCredential, UnsignedCredentialV2 } from './w3c'
export { STATUS_LIST_CONTEXT_V1, VC_CONTEXT_V1, VC_CONTEXT_V2 } from './w3c'
