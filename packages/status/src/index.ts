export { Bitstring, type BitstringOptions } from './bitstring'
export {
  type BitstringStatusEntry,
  bitstringStatusEntry,
  isStatusPurpose,
  parseBitstringStatusEntry,
  type StatusPurpose,
} from './bitstringStatusEntry'
export {
  type CheckStatusListJwtOptions,
  checkStatusListJwt,
  type StatusListCheckCode,
  type StatusListCheckResult,
} from './checkStatusListJwt'
export {
  type BitstringListFormat,
  CREDENTIALS_V1_CONTEXT,
  STATUS_LIST_CONTEXT,
} from './contexts'
export { type DecodeBitstringOptions, decodeBitstring } from './decodeBitstring'
export {
  type DecodedStatusListJwt,
  type DecodeStatusListJwtOptions,
  decodeStatusListJwt,
  type StatusListJwtHeader,
  type StatusListMediaType,
} from './decodeStatusListJwt'
export { type DecodeTokenStatusListOptions, decodeTokenStatusList } from './decodeTokenStatusList'
export { encodeBitstring } from './encodeBitstring'
export { type EncodedTokenStatusList, encodeTokenStatusList } from './encodeTokenStatusList'
export { StatusListError, type StatusListErrorCode } from './errors'
export { DEFAULT_MAX_BYTES, MIN_LIST_ENTRIES } from './limits'
export {
  CREDENTIALS_V2_CONTEXT,
  type SignBitstringStatusListCredentialOptions,
  signBitstringStatusListCredential,
} from './signBitstringStatusListCredential'
export type { StatusListSigner } from './signOptions'
export { type SignTokenStatusListJwtOptions, signTokenStatusListJwt } from './signTokenStatusListJwt'
export { parseTokenStatusEntry, type TokenStatusEntry, tokenStatusEntry } from './tokenStatusEntry'
export {
  isTokenStatusBits,
  TOKEN_STATUS,
  type TokenStatusBits,
  TokenStatusList,
  type TokenStatusListOptions,
} from './tokenStatusList'
