export { decodeSdJwtVc } from './decode'
export { DEFAULT_DISCLOSABLE, NEVER_DISCLOSABLE } from './disclosable'
export { disclosedClaims } from './disclosures'
export type { SdJwtErrorCode } from './errors'
export { SdJwtError } from './errors'
export type { IssueSdJwtVcOptions } from './issue'
export { issueSdJwtVc } from './issue'
export type { IssueRawSdJwtOptions, RawDisclosureFrame } from './issue-raw'
export { issueRawSdJwt } from './issue-raw'
export { checkKeyBinding, decodeKeyBinding } from './key-binding'
export type { PresentSdJwtVcOptions } from './present'
export { presentSdJwtVc } from './present'
export type { RegisteredClaim, RegisteredClaimUse, SplitClaims } from './registered-claims'
export { REGISTERED_CLAIMS, splitRegisteredClaims } from './registered-claims'
export type {
  DecodedDisclosure,
  DecodedKeyBinding,
  DecodedSdJwtVc,
  DisclosedClaims,
  KeyBinding,
  SdJwtFailureCode,
  SdJwtVcHeader,
  SdJwtVcPayload,
  SdJwtVcStatus,
} from './types'
export { credentialTypeOfVct, SD_JWT_VC_TYP, vctFor } from './vct'
