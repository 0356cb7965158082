import { sha256 } from '@noble/hashes/sha256'
import { ecdsa } from '#ecdsa'
import type { JwsAlgorithm } from './algorithms'
import { base64urlDecode, base64urlEncode, base64urlJson, utf8 } from './base64url'
import type { EcdsaBackend } from './ecdsa-backend'
import type { JsonObject } from './json'
import { curveOf } from './keys'

/** Signs the JWS signing input (`header.payload`); returns the base64url signature. */
export type Signer = (data: string) => Promise<string>

/**
 * A JWS signer (ES256K or ES256): SHA-256 of the input, low-S, 64-byte r‖s, base64url.
 *
 * @example
 * const sign = createSigner({ alg: 'ES256K', privateKey })
 * const sig = await sign('eyJ…header.eyJ…payload')
 */
export function createSigner(options: { alg: JwsAlgorithm; privateKey: Uint8Array }): Signer {
  const curve = curveOf(options.alg)
  const key = options.privateKey
  return async (data: string) =>
    base64urlEncode(curve.sign(sha256(utf8(data)), key, { lowS: true }).toCompactRawBytes())
}

/**
 * Signs a compact JWS over the JSON `header` and `payload` (nothing is checked or added).
 *
 * @example
 * const jwt = await signJwt({ header: { alg: 'ES256K', typ: 'JWT', kid }, payload: { iss: did }, signer })
 */
export async function signJwt(options: {
  header: JsonObject
  payload: JsonObject
  signer: Signer
}): Promise<string> {
  const signingInput = `${base64urlJson(options.header)}.${base64urlJson(options.payload)}`
  return `${signingInput}.${await options.signer(signingInput)}`
}

/**
 * Verifies a JWS signature over `data` with a public key. Both forms of s are accepted for both
 * curves: JOSE (RFC 7518 §3.4, RFC 8812 §3.2) has no low-S rule, and common signers (`jose` on
 * OpenSSL) give high-S half the time; replay and revocation records are keyed by signed content,
 * never by signature bytes, so the malleated twin gains nothing. Clavis itself signs low-S. On Node the work is
 * done by OpenSSL, elsewhere by `@noble/curves` (the `#ecdsa` import; {@link ECDSA_BACKEND}).
 *
 * @example
 * verifySignature({ alg: 'ES256K', publicKey, data, signature }) // true | false
 */
export function verifySignature(options: {
  alg: JwsAlgorithm
  publicKey: Uint8Array
  data: string
  signature: string
}): boolean {
  const sig = base64urlDecode(options.signature)
  if (sig?.length !== 64) return false
  try {
    return ecdsa.verify({
      alg: options.alg,
      publicKey: options.publicKey,
      data: utf8(options.data),
      signature: sig,
      lowS: false,
    })
  } catch {
    return false
  }
}

/**
 * Which ECDSA implementation {@link verifySignature} uses in this runtime: `openssl` (Node's
 * `node:crypto`) or `noble` (`@noble/curves`, browsers).
 *
 * @example
 * if (ECDSA_BACKEND === 'noble') console.warn('verifying in JavaScript')
 */
export const ECDSA_BACKEND: EcdsaBackend['name'] = ecdsa.name

/**
 * Recovers the secp256k1 public keys that could have made an ES256K signature (both recovery ids),
 * for keys published only as Ethereum addresses.
 */
export function recoverEs256kPublicKeys(options: { data: string; signature: string }): Uint8Array[] {
  const sig = base64urlDecode(options.signature)
  if (sig?.length !== 64) return []
  const hash = sha256(utf8(options.data))
  const curve = curveOf('ES256K')
  const out: Uint8Array[] = []
  for (const recovery of [0, 1]) {
    try {
      // Either form of s (JOSE has no low-S rule): the twin recovers the same key with the other bit.
      const s = curve.Signature.fromCompact(sig).addRecoveryBit(recovery)
      out.push(s.recoverPublicKey(hash).toRawBytes(false))
    } catch {}
  }
  return out
}
