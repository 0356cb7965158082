import type { EcPublicJwk } from '@clavis/crypto'

/** Why {@link verifySdJwtVc} refused a presentation. */
export type SdJwtFailureCode =
  | 'malformed'
  | 'unsupported_algorithm'
  | 'unexpected_header'
  | 'no_matching_key'
  | 'invalid_signature'
  | 'disclosure_invalid'
  | 'key_binding_missing'
  | 'key_binding_invalid'
  | 'nonce_mismatch'
  | 'audience_mismatch'
  | 'key_binding_stale'

/** The protected header of an issuer-signed SD-JWT VC (only these three parameters are accepted). */
export interface SdJwtVcHeader {
  alg: string
  typ: string
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

/** A decoded key-binding JWT (unverified). */
export interface DecodedKeyBindingJwt {
  header: Record<string, unknown>
  payload: Record<string, unknown>
  /** `header.payload` as received (what the holder signed). */
  signingInput: string
  signature: string
}

/** An SD-JWT VC split into its parts, without any verification. */
export interface DecodedSdJwtVc {
  header: Record<string, unknown>
  payload: SdJwtVcPayload
  disclosures: DecodedDisclosure[]
  keyBindingJwt?: DecodedKeyBindingJwt
  /** `header.payload` of the issuer-signed JWT, as received. */
  issuerSigningInput: string
  issuerSignature: string
  /** Everything up to and including the last `~`: the input of the KB-JWT's `sd_hash`. */
  sdHashInput: string
}
