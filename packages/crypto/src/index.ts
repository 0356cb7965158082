export { base64urlDecode, base64urlEncode, base64urlJson, parseBase64urlJson, utf8 } from './base64url'
export { ethereumAddressOf, randomBytes, sha256 } from './hash'
export { createSigner, recoverEs256kPublicKeys, type Signer, verifySignature } from './jws'
export {
  curveOf,
  type EcPublicJwk,
  fromHex,
  generatePrivateKey,
  type JwsAlgorithm,
  jwkToPublicKey,
  publicKeyOf,
  publicKeyToJwk,
  toHex,
  uncompressedPublicKey,
} from './keys'
