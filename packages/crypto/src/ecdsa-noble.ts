import { invert, mod } from '@noble/curves/abstract/modular'
import { bytesToNumberBE } from '@noble/curves/abstract/utils'
import { sha256 } from '@noble/hashes/sha256'
import type { JwsAlgorithm } from './algorithms'
import { type EcdsaBackend, MAX_CACHED_KEYS } from './ecdsa-backend'
import { curveOf, toHex } from './keys'

type Point = ReturnType<ReturnType<typeof curveOf>['ProjectivePoint']['fromHex']>

interface CachedPoint {
  point: Point
  uses: number
}

/** After how many uses a key gets a precomputed table (at most MAX_CACHED_KEYS are kept). */
const PRECOMPUTE_AFTER_USES = 3
const points = new Map<string, CachedPoint>()

/**
 * The parsed point of a public key, from a bounded LRU. Keys that verify often get a wNAF
 * precomputation table (≈25 ms once), which makes each later verification 2–3× cheaper than
 * parsing (and decompressing) the key afresh, as `@noble/curves`' `verify` does on every call.
 */
function pointOf(alg: JwsAlgorithm, publicKey: Uint8Array): Point {
  const key = `${alg}:${toHex(publicKey)}`
  let hit = points.get(key)
  if (hit) {
    points.delete(key)
    points.set(key, hit)
    hit.uses++
    if (hit.uses === PRECOMPUTE_AFTER_USES) hit.point.precompute(8, false)
    return hit.point
  }
  hit = { point: curveOf(alg).ProjectivePoint.fromHex(publicKey), uses: 1 }
  if (points.size >= MAX_CACHED_KEYS) points.delete(points.keys().next().value as string)
  points.set(key, hit)
  return hit.point
}

/**
 * ECDSA verification of a 64-byte r‖s signature over a 32-byte hash (SEC 1 §4.1.4), on noble's
 * point arithmetic with cached points (ADR 0012). `lowS` refuses s > n/2. Throws for keys not on
 * the curve.
 */
export function ecdsaVerify(options: {
  alg: JwsAlgorithm
  publicKey: Uint8Array
  hash: Uint8Array
  signature: Uint8Array
  lowS: boolean
}): boolean {
  const curve = curveOf(options.alg)
  const { n } = curve.CURVE
  const { signature } = options
  if (signature.length !== 64 || options.hash.length !== 32) return false
  const r = bytesToNumberBE(signature.subarray(0, 32))
  const s = bytesToNumberBE(signature.subarray(32, 64))
  if (r <= 0n || r >= n || s <= 0n || s >= n) return false
  if (options.lowS && s > n >> 1n) return false
  const P = pointOf(options.alg, options.publicKey)
  const e = mod(bytesToNumberBE(options.hash), n)
  const sInv = invert(s, n)
  const R = curve.ProjectivePoint.BASE.multiplyAndAddUnsafe(P, mod(e * sInv, n), mod(r * sInv, n))
  if (!R) return false
  return mod(R.toAffine().x, n) === r
}

/**
 * The pure-JavaScript backend: SHA-256 and {@link ecdsaVerify} on `@noble/curves`. Used where
 * `node:crypto` is not (browsers: WebCrypto has no secp256k1), chosen by the `#ecdsa` import's
 * `default` condition (package.json).
 *
 * @example
 * ecdsa.verify({ alg: 'ES256', publicKey, data: utf8('a.b'), signature, lowS: false })
 */
export const ecdsa: EcdsaBackend = {
  name: 'noble',
  verify: ({ data, ...rest }) => ecdsaVerify({ ...rest, hash: sha256(data) }),
}
