export { ALLOWED_JWS_ALGORITHMS } from './algorithms'
export { checkKeyOfDid } from './checkKeyOfDid'
export { MAX_JWT_LENGTH } from './decodeJwtCredential'
export { assertionKeys, type DocumentKey, verifyWithDocumentKeys } from './documentKeys'
export { createMemoryNonceStore, type NonceStore } from './nonceStore'
export type { PresentationExpectation, PresentationVerificationResult } from './presentationTypes'
export { presentJwtVp } from './presentJwtVp'
export { resolveIssuer } from './resolveIssuer'
export {
  createStatusChecker,
  type FetchBudget,
  type StatusChecker,
  type StatusListFetcher,
} from './statusChecker'
export { type TrustEntry, type TrustPolicy, trustListPolicy } from './trustListPolicy'
export type {
  CheckName,
  CheckResult,
  PresentationCheckName,
  VerificationFailureCode,
  VerificationResult,
} from './types'
export {
  DEFAULT_CLOCK_SKEW_SECONDS,
  MAX_CLOCK_SKEW_SECONDS,
  type VerifyJwtCredentialErrorType,
  type VerifyJwtCredentialParameters,
  type VerifyJwtCredentialReturnType,
  verifyJwtCredential,
} from './verifyJwtCredential'
export { MAX_PRESENTATION_AGE_SECONDS, verifyJwtPresentation } from './verifyJwtPresentation'
export { verifySdJwtPresentation } from './verifySdJwtPresentation'
