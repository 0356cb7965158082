import type { JwsAlgorithm } from './algorithms'

/** What an {@link EcdsaBackend} verifies: SHA-256 of `data`, signed as a 64-byte r‖s. */
export interface EcdsaVerifyParameters {
  alg: JwsAlgorithm
  /** SEC 1 public key, compressed (33 bytes) or uncompressed (65 bytes). */
  publicKey: Uint8Array
  /** The signed bytes (not their hash). */
  data: Uint8Array
  /** r‖s, 32 bytes each, big-endian. */
  signature: Uint8Array
  /** Refuse s > n/2 (ES256K); ES256 accepts both halves, as JOSE does. */
  lowS: boolean
}

/**
 * One way to verify ECDSA over SHA-256 on secp256k1 and P-256. Every backend gives the same answer
 * for every input (the agreement tests run each against `@noble/curves`' `verify`): `false` for a
 * signature that is not 64 bytes, has r or s outside [1, n−1], or (with `lowS`) s > n/2, or does
 * not verify; it throws for a public key that is not a point of the algorithm's curve.
 *
 * @example
 * import { ecdsa } from '#ecdsa' // OpenSSL on Node, @noble/curves elsewhere
 * ecdsa.verify({ alg: 'ES256K', publicKey, data, signature, lowS: true })
 */
export interface EcdsaBackend {
  /** `openssl` (Node's `node:crypto`) or `noble` (`@noble/curves`, pure JavaScript). */
  readonly name: 'openssl' | 'noble'
  verify(options: EcdsaVerifyParameters): boolean
}

/** How many parsed public keys a backend keeps (least recently used first out). */
export const MAX_CACHED_KEYS = 256
