import { p256 } from '@noble/curves/p256'
import { secp256k1 } from '@noble/curves/secp256k1'
import type { JwsAlgorithm } from './algorithms'
import { base64urlDecode, base64urlEncode } from './base64url'

/** A public elliptic-curve JWK. */
export interface EcPublicJwk {
  kty: 'EC'
  crv: 'secp256k1' | 'P-256'
  x: string
  y: string
  kid?: string
}

const CURVES = { ES256K: secp256k1, ES256: p256 } as const
const CRV = { ES256K: 'secp256k1', ES256: 'P-256' } as const

/** The noble curve of an algorithm. */
export function curveOf(alg: JwsAlgorithm) {
  return CURVES[alg]
}

/** A new random private key for an algorithm. */
export function generatePrivateKey(alg: JwsAlgorithm): Uint8Array {
  return CURVES[alg].utils.randomPrivateKey()
}

/** The compressed (33-byte) public key of a private key. */
export function publicKeyOf(alg: JwsAlgorithm, privateKey: Uint8Array): Uint8Array {
  return CURVES[alg].getPublicKey(privateKey, true)
}

/**
 * The public JWK of a public key (compressed or uncompressed bytes).
 *
 * @example publicKeyToJwk({ alg: 'ES256K', publicKey })
 */
export function publicKeyToJwk(options: { alg: JwsAlgorithm; publicKey: Uint8Array }): EcPublicJwk {
  const point = CURVES[options.alg].ProjectivePoint.fromHex(options.publicKey)
  const raw = point.toRawBytes(false)
  return {
    kty: 'EC',
    crv: CRV[options.alg],
    x: base64urlEncode(raw.slice(1, 33)),
    y: base64urlEncode(raw.slice(33, 65)),
  }
}

/**
 * The algorithm and uncompressed public key of an EC JWK; undefined for anything else (other key
 * types, curves, private parts, points not on the curve).
 */
export function jwkToPublicKey(jwk: unknown): { alg: JwsAlgorithm; publicKey: Uint8Array } | undefined {
  if (!jwk || typeof jwk !== 'object') return undefined
  const k = jwk as Record<string, unknown>
  if (k.kty !== 'EC' || 'd' in k || typeof k.x !== 'string' || typeof k.y !== 'string') return undefined
  const alg: JwsAlgorithm | undefined =
    k.crv === 'secp256k1' ? 'ES256K' : k.crv === 'P-256' ? 'ES256' : undefined
  if (!alg) return undefined
  const x = base64urlDecode(k.x)
  const y = base64urlDecode(k.y)
  if (!x || !y || x.length !== 32 || y.length !== 32) return undefined
  const publicKey = new Uint8Array(65)
  publicKey[0] = 4
  publicKey.set(x, 1)
  publicKey.set(y, 33)
  const id = `${alg}.${k.x}.${k.y}`
  if (!onCurve.has(id)) {
    try {
      CURVES[alg].ProjectivePoint.fromHex(publicKey).assertValidity()
    } catch {
      return undefined
    }
    if (onCurve.size >= MAX_REMEMBERED_POINTS) onCurve.delete(onCurve.values().next().value as string)
    onCurve.add(id)
  }
  return { alg, publicKey }
}

/** JWK points found on their curve, remembered (a holder's `cnf` key is met at every presentation). */
const onCurve = new Set<string>()
const MAX_REMEMBERED_POINTS = 4096

/** Hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

/** Bytes of a hex string (optional 0x); undefined when not hex. */
export function fromHex(hex: string): Uint8Array | undefined {
  const h = hex.startsWith('0x') ? hex.slice(2) : hex
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) return undefined
  const out = new Uint8Array(h.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(i * 2, i * 2 + 2), 16)
  return out
}

/**
 * The compressed (33-byte, SEC 1 §2.3.3) form of an uncompressed (65-byte) public key: the parity
 * of y, then x. No curve arithmetic; anything else (a 33-byte key) is returned as it is. It does not check the
 * point is on a curve.
 *
 * @example
 * toHex(compressedPublicKey(jwkToPublicKey(jwk)!.publicKey)) // '02…' or '03…'
 */
export function compressedPublicKey(publicKey: Uint8Array): Uint8Array {
  if (publicKey.length !== 65 || publicKey[0] !== 4) return publicKey
  const out = new Uint8Array(33)
  out[0] = 2 + (publicKey[64]! & 1)
  out.set(publicKey.subarray(1, 33), 1)
  return out
}

/**
 * The uncompressed (65-byte) form of a public key given compressed or uncompressed; undefined when
 * it is not a point of the algorithm's curve.
 *
 * @example
 * toHex(uncompressedPublicKey('ES256K', compressed)!) === toHex(uncompressed)
 */
export function uncompressedPublicKey(alg: JwsAlgorithm, publicKey: Uint8Array): Uint8Array | undefined {
  try {
    return CURVES[alg].ProjectivePoint.fromHex(publicKey).toRawBytes(false)
  } catch {
    return undefined
  }
}
