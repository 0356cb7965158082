export { ALLOWED_JWS_ALGORITHMS } from './algorithms'
export { MAX_JWT_LENGTH } from './decodeJwtCredential'
export { type TrustEntry, type TrustPolicy, trustListPolicy } from './trustListPolicy'
export type { CheckName, CheckResult, VerificationFailureCode, VerificationResult } from './types'
export {
  DEFAULT_CLOCK_SKEW_SECONDS,
  MAX_CLOCK_SKEW_SECONDS,
  type VerifyJwtCredentialErrorType,
  type VerifyJwtCredentialParameters,
  type VerifyJwtCredentialReturnType,
  verifyJwtCredential,
} from './verifyJwtCredential'
