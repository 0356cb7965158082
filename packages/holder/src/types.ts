import type { EcPublicJwk, JwsAlgorithm } from '@clavis/crypto'

/**
 * A key the holder controls, as the wallet supplies it: the DID and DID URL it is published under,
 * its public JWK, and a signer (the browser gives a non-extractable or passphrase-protected key;
 * the library never sees private key material).
 */
export interface HolderKey {
  did: string
  /** The DID URL of the key (`<did>#controllerKey` for a did:ethr of a public key). */
  kid: string
  alg: JwsAlgorithm
  jwk: EcPublicJwk
  /** Signs a JWS signing input (`header.payload`), returning the base64url signature. */
  sign(signingInput: string): Promise<string>
}

/** The formats the holder receives and presents. */
export type HeldFormat = 'jwt_vc_json' | 'dc+sd-jwt'

/** A credential the wallet checked and keeps. */
export interface HeldCredential {
  /** The wallet's own id for it. */
  id: string
  format: HeldFormat
  /** The credential as issued (JWT-VC, or SD-JWT VC without key binding). */
  credential: string
  /** The issuer's DID (it signed the credential). */
  issuer: string
  /** The Credential Issuer it came from (`credential_issuer` URL). */
  credentialIssuer: string
  /** The issuer's display name from its metadata (as the issuer says; not a verified name). */
  issuerName?: string | undefined
  /** The credential type (e.g. ClinicianLicenseCredential); for SD-JWT VC also its `vct`. */
  type: string
  vct?: string | undefined
  /** The DID it was issued to (the key's DID). */
  subject: string
  /** All claims, decoded for display (the SD-JWT VC's disclosable ones included). */
  claims: Record<string, unknown>
  validFrom?: string | undefined
  validUntil?: string | undefined
  receivedAt: string
}

/** Where the wallet keeps credentials: memory for tests, IndexedDB in the browser, a file in the CLI. */
export interface CredentialStore {
  list(): Promise<HeldCredential[]>
  put(credential: HeldCredential): Promise<void>
  delete(id: string): Promise<boolean>
}
