export { ALLOWED_JWS_ALGORITHMS, isAllowedJwsAlgorithm, type JwsAlgorithm } from './algorithms'
export { base64urlDecode, base64urlEncode, base64urlJson, parseBase64urlJson, utf8 } from './base64url'
export { ethereumAddressOf, randomBytes, sha256 } from './hash'
export { isObject, type JsonObject } from './json'
export {
  createSigner,
  ECDSA_BACKEND,
  recoverEs256kPublicKeys,
  type Signer,
  signJwt,
  verifySignature,
} from './jws'
export { type DecodedJwt, type DecodeJwtOptions, decodeJwt, type JwtDecodeFailureCode } from './jwt'
export {
  compressedPublicKey,
  curveOf,
  type EcPublicJwk,
  fromHex,
  generatePrivateKey,
  jwkToPublicKey,
  publicKeyOf,
  publicKeyToJwk,
  toHex,
  uncompressedPublicKey,
} from './keys'
export {
  DEFAULT_CLOCK_SKEW_SECONDS,
  MAX_CLOCK_SKEW_SECONDS,
  MAX_JWT_LENGTH,
  MAX_SD_JWT_LENGTH,
  MAX_STATUS_LIST_JWT_LENGTH,
} from './limits'
export { type Failure, fail, ok, type Result } from './result'
