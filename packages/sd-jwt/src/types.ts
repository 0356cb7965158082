import type { DecodedJwt, EcPublicJwk, JwsAlgorithm } from '@clavis/crypto'

/** Why an SD-JWT VC presentation, its disclosures or its key binding were refused. */
export type SdJwtFailureCode =
  | 'malformed'
  | 'unsupported_algorithm'
  | 'unexpected_header'
  | 'disclosure_invalid'
  | 'key_binding_missing'
  | 'key_binding_invalid'

/** The protected header of an issuer-signed SD-JWT VC (only these three parameters are accepted). */
export interface SdJwtVcHeader {
  alg: JwsAlgorithm
  typ: 'dc+sd-jwt'
  kid?: string
}

/** A Token Status List reference (`status.status_list`). */
export interface SdJwtVcStatus {
  status_list: { idx: number; uri: string }
}

/**
 * The issuer-signed payload as it travels: always-visible claims plus `_sd` digests. Times are
 * NumericDate seconds. Validity (`nbf`/`exp`), `status` and `vct` are for the caller to check.
 */
export interface SdJwtVcPayload {
  iss: string
  sub?: string
  vct?: string
  iat?: number
  nbf?: number
  exp?: number
  cnf?: { jwk: EcPublicJwk }
  status?: SdJwtVcStatus
  jti?: string
  _sd?: string[]
  _sd_alg?: string
  [claim: string]: unknown
}

/** One disclosure as decoded: its digest (base64url SHA-256 of the encoded form), salt, name (absent for array elements) and value. */
export interface DecodedDisclosure {
  digest: string
  salt: string
  name: string | undefined
  value: unknown
}

/** An SD-JWT VC split into its parts, its issuer header checked; no signature verified. */
export interface DecodedSdJwtVc {
  header: SdJwtVcHeader
  payload: SdJwtVcPayload
  disclosures: DecodedDisclosure[]
  /** The key-binding JWT as received (compact), when there is one; see `decodeKeyBinding`. */
  keyBindingJwt?: string
  /** `header.payload` of the issuer-signed JWT, as received. */
  issuerSigningInput: string
  issuerSignature: string
  /** Everything up to and including the last `~`: the input of the KB-JWT's `sd_hash`. */
  sdHashInput: string
}

/** The claims and paths an SD-JWT VC discloses, once its disclosures were checked. */
export interface DisclosedClaims {
  /** Disclosed and always-visible claims, without `_sd`/`_sd_alg`. */
  claims: Record<string, unknown>
  /** Paths of the disclosed claims (`name`, `address.city`, `list.0`), sorted. */
  disclosedNames: string[]
}

/** A key-binding JWT as decoded (signature not yet checked). */
export type DecodedKeyBinding = DecodedJwt

/** What a valid key binding proves: the holder key (`cnf.jwk`) signed these claims over this presentation. */
export interface KeyBinding {
  holderJwk: EcPublicJwk
  /** The KB-JWT claims the verifier compares with its request (`aud`, `nonce`, `iat`). */
  claims: { aud: string; nonce: string; iat: number }
}
