export { checkKeyOfDid } from './checkKeyOfDid'
export { MAX_PRESENTATION_AGE_SECONDS } from './checkNonceAudience'
export { assertionKeys, type DocumentKey, verifyWithDocumentKeys } from './documentKeys'
export { createMemoryNonceStore, type NonceStore } from './nonceStore'
export { detectPresentationFormat } from './presentationFormat'
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
  CheckOutcome,
  CheckResult,
  PresentationCheckName,
  PresentationExpectation,
  PresentationFormat,
  PresentationVerificationResult,
  VerificationFailure,
  VerificationFailureCode,
  VerificationResult,
} from './types'
export type { VerifierOptions } from './verifierOptions'
export { verifyByDidUrl } from './verifyByDidUrl'
export {
  type VerifyJwtCredentialErrorType,
  type VerifyJwtCredentialParameters,
  type VerifyJwtCredentialReturnType,
  verifyJwtCredential,
} from './verifyJwtCredential'
export {
  type VerifyPresentationErrorType,
  type VerifyPresentationParameters,
  verifyPresentation,
} from './verifyPresentation'
export { type VerifiedSdJwtCredential, verifySdJwtCredential } from './verifySdJwtCredential'
