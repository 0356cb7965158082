// Node only: chosen for the `#ecdsa` import by the `node` condition (package.json), never bundled
// for a browser. biome.json allows node: imports in this one file of packages/*/src (ADR 0021).
import { createPublicKey, type KeyObject, verify } from 'node:crypto'
import type { JwsAlgorithm } from './algorithms'
import { type EcdsaBackend, type EcdsaVerifyParameters, MAX_CACHED_KEYS } from './ecdsa-backend'
import { curveOf, fromHex, toHex } from './keys'

/**
 * DER SubjectPublicKeyInfo up to the BIT STRING of an uncompressed point (RFC 5480): id-ecPublicKey
 * with the named curve (secp256k1 1.3.132.0.10, P-256 1.2.840.10045.3.1.7).
 */
const SPKI_PREFIX: Record<JwsAlgorithm, Uint8Array> = {
  ES256K: Uint8Array.from([
    0x30, 0x56, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81,
    0x04, 0x00, 0x0a, 0x03, 0x42, 0x00,
  ]),
  ES256: Uint8Array.from([
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86,
    0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
  ]),
}

/** The group order n and ⌊n/2⌋ of each curve as 32 big-endian bytes, for range checks without bigints. */
const bytes32 = (n: bigint) => fromHex(n.toString(16).padStart(64, '0'))!
const ORDER = {
  ES256K: { n: bytes32(curveOf('ES256K').CURVE.n), half: bytes32(curveOf('ES256K').CURVE.n >> 1n) },
  ES256: { n: bytes32(curveOf('ES256').CURVE.n), half: bytes32(curveOf('ES256').CURVE.n >> 1n) },
}

/** Compares 32 big-endian bytes of `a` (from `offset`) with `b`: <0, 0, >0. */
function compare32(a: Uint8Array, offset: number, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = a[offset + i]! - b[i]!
    if (d !== 0) return d
  }
  return 0
}

const isZero32 = (a: Uint8Array, offset: number) => {
  for (let i = 0; i < 32; i++) if (a[offset + i] !== 0) return false
  return true
}

type VerifyKey = { key: KeyObject; dsaEncoding: 'ieee-p1363' }
const keys = new Map<string, VerifyKey>()

/**
 * The OpenSSL key object of a public key, from a bounded LRU (importing costs about as much as a
 * verification). The key is parsed and checked by `@noble/curves` first, exactly as the noble
 * backend does, so both refuse (throw for) the same keys: off-curve points, the other curve's
 * points, the point at infinity, hybrid encodings.
 */
function keyOf(alg: JwsAlgorithm, publicKey: Uint8Array): VerifyKey {
  const id = `${alg}:${toHex(publicKey)}`
  let hit = keys.get(id)
  if (hit) {
    keys.delete(id)
    keys.set(id, hit)
    return hit
  }
  const point = curveOf(alg).ProjectivePoint.fromHex(publicKey).toRawBytes(false)
  const der = Buffer.concat([SPKI_PREFIX[alg], point])
  hit = { key: createPublicKey({ key: der, format: 'der', type: 'spki' }), dsaEncoding: 'ieee-p1363' }
  if (keys.size >= MAX_CACHED_KEYS) keys.delete(keys.keys().next().value as string)
  keys.set(id, hit)
  return hit
}

/** r and s in [1, n−1], and s ≤ n/2 when `lowS`: the checks OpenSSL leaves to us (it accepts high-S). */
function inRange(alg: JwsAlgorithm, signature: Uint8Array, lowS: boolean): boolean {
  const { n, half } = ORDER[alg]
  if (isZero32(signature, 0) || compare32(signature, 0, n) >= 0) return false
  if (isZero32(signature, 32) || compare32(signature, 32, n) >= 0) return false
  return !lowS || compare32(signature, 32, half) <= 0
}

/**
 * The native backend: Node's OpenSSL (`crypto.verify` with SHA-256 and an IEEE P1363 r‖s
 * signature) on cached key objects; range and low-S checks in JavaScript, as above. About 5–6×
 * faster than `@noble/curves` for secp256k1 here, and 10× or more for P-256 (ADR 0021).
 *
 * @example
 * ecdsa.verify({ alg: 'ES256K', publicKey, data: utf8('a.b'), signature, lowS: true })
 */
export const ecdsa: EcdsaBackend = {
  name: 'openssl',
  verify(options: EcdsaVerifyParameters): boolean {
    const { alg, signature } = options
    if (signature.length !== 64 || !inRange(alg, signature, options.lowS)) return false
    return verify('sha256', options.data, keyOf(alg, options.publicKey), signature)
  },
}
