export { decodeSdJwtVc, MAX_SD_JWT_LENGTH } from './decode'
export { DEFAULT_DISCLOSABLE, NEVER_DISCLOSABLE } from './disclosable'
export type { SdJwtErrorCode } from './errors'
export { SdJwtError } from './errors'
export type { IssueSdJwtVcOptions } from './issue'
export { issueSdJwtVc } from './issue'
export type { IssueRawSdJwtOptions, RawDisclosureFrame } from './issue-raw'
export { issueRawSdJwt } from './issue-raw'
export { KEY_BINDING_MAX_AGE_SECONDS } from './key-binding'
export type { PresentSdJwtVcOptions } from './present'
export { presentSdJwtVc } from './present'
export type {
  DecodedDisclosure,
  DecodedKeyBindingJwt,
  DecodedSdJwtVc,
  SdJwtFailureCode,
  SdJwtVcHeader,
  SdJwtVcPayload,
  SdJwtVcStatus,
} from './types'
export { credentialTypeOfVct, SD_JWT_VC_TYP, vctFor } from './vct'
export type { IssuerKey, SdJwtVerifyResult, VerifySdJwtVcOptions } from './verify'
export { verifySdJwtVc } from './verify'
