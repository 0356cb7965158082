import { sha256 } from '@noble/hashes/sha256'
import { describe, expect, it } from 'vitest'
import { utf8 } from './base64url'
import type { EcdsaBackend, EcdsaVerifyParameters } from './ecdsa-backend'
import { ecdsa as noble } from './ecdsa-noble'
import { ecdsa as openssl } from './ecdsa-openssl'
import { recoverEs256kPublicKeys } from './jws'
import { curveOf, fromHex, generatePrivateKey, toHex } from './keys'

// Every backend must give @noble/curves' own `verify` answer for every input — valid, tampered,
// foreign-key, malleated (high-S), out-of-range and malformed signatures, keys in both encodings,
// keys that are not points of the curve, and keys found by recovery — and both must refuse (throw
// for) the same keys. The noble backend verifies with cached, precomputed points (ADR 0012), the
// OpenSSL backend with Node's node:crypto (ADR 0021).

type Outcome = boolean | 'throws'
const run = (backend: EcdsaBackend, o: EcdsaVerifyParameters): Outcome => {
  try {
    return backend.verify(o)
  } catch {
    return 'throws'
  }
}
/** @noble/curves' verify (hash given, no prehash): the reference answer. */
const reference = (o: EcdsaVerifyParameters): boolean => {
  try {
    return curveOf(o.alg).verify(o.signature, sha256(o.data), o.publicKey, { lowS: o.lowS, prehash: false })
  } catch {
    return false
  }
}
const be32 = (n: bigint) => fromHex(n.toString(16).padStart(64, '0'))!
const rs = (r: bigint, s: bigint) => Uint8Array.from([...be32(r), ...be32(s)])

describe.each([noble, openssl])('the $name ECDSA backend agrees with @noble/curves', (backend) => {
  describe.each(['ES256K', 'ES256'] as const)('%s', (alg) => {
    const curve = curveOf(alg)
    const { n } = curve.CURVE
    const priv = generatePrivateKey(alg)
    const publicKey = curve.getPublicKey(priv, true)
    const data = utf8('header.payload')
    const good = curve.sign(sha256(data), priv, { lowS: true })
    const check = (o: Partial<EcdsaVerifyParameters>, lowS: boolean) => {
      const options = { alg, publicKey, data, signature: good.toCompactRawBytes(), lowS, ...o }
      const got = run(backend, options)
      expect(got === 'throws' ? false : got).toBe(reference(options))
      return got
    }

    // 40 cases: each of the 20 combinations of key (i % 4; keys 0 and 2 compressed, 1 and 3 not)
    // and variant (i % 5) twice, so every key is checked both before and after it is cached (and,
    // for noble, gets its precomputed table).
    it('on 40 random cases, with and without low-S', () => {
      const keys = Array.from({ length: 4 }, () => generatePrivateKey(alg))
      for (let i = 0; i < 40; i++) {
        const key = keys[i % keys.length]!
        const pub = curve.getPublicKey(key, i % 2 === 0)
        const signed = utf8(`case ${i}`)
        let sig = curve.sign(sha256(signed), key, { lowS: true }).toCompactRawBytes()
        let checked = signed
        const variant = i % 5
        if (variant === 1) checked = utf8(`case ${i}!`)
        if (variant === 2) sig = curve.sign(sha256(signed), keys[(i + 1) % keys.length]!).toCompactRawBytes()
        if (variant === 3) {
          const s = curve.Signature.fromCompact(sig)
          sig = new curve.Signature(s.r, n - s.s).toCompactRawBytes()
        }
        if (variant === 4) sig = sig.map((b, j) => (j === 40 ? b ^ 1 : b))
        for (const lowS of [true, false]) check({ publicKey: pub, data: checked, signature: sig }, lowS)
      }
    })

    it('accepts high-S only without lowS', () => {
      const high = new curve.Signature(good.r, n - good.s).toCompactRawBytes()
      expect(check({ signature: high }, true)).toBe(false)
      expect(check({ signature: high }, false)).toBe(true)
      expect(check({}, true)).toBe(true)
    })

    it('refuses r and s outside [1, n−1] and malformed signatures', () => {
      const max = (1n << 256n) - 1n
      for (const [r, s] of [
        [0n, good.s],
        [good.r, 0n],
        [n, good.s],
        [good.r, n],
        [good.r + n <= max ? good.r + n : max, good.s],
        [good.r, good.s + n <= max ? good.s + n : max],
        [max, max],
        [1n, 1n],
        [n - 1n, n >> 1n],
        [n - 1n, (n >> 1n) + 1n],
      ] as const) {
        for (const lowS of [true, false]) expect(check({ signature: rs(r, s) }, lowS)).toBe(false)
      }
      const bytes = good.toCompactRawBytes()
      for (const signature of [new Uint8Array(0), bytes.slice(0, 63), Uint8Array.from([...bytes, 0])]) {
        expect(check({ signature }, false)).toBe(false)
      }
    })

    it('throws for keys that are not points of the curve, as both backends do', () => {
      const other = curveOf(alg === 'ES256K' ? 'ES256' : 'ES256K')
      const uncompressed = curve.getPublicKey(priv, false)
      const offCurve = uncompressed.slice()
      offCurve[64] = offCurve[64]! ^ 1
      const hybrid = uncompressed.slice()
      hybrid[0] = 0x06 + (uncompressed[64]! & 1)
      const bad = [
        other.getPublicKey(other.utils.randomPrivateKey(), false),
        offCurve,
        hybrid,
        Uint8Array.from([0]),
        uncompressed.slice(1),
        publicKey.slice(1),
        Uint8Array.from([0x04, ...publicKey.slice(1)]),
        new Uint8Array(65),
      ]
      for (const key of bad) {
        expect(check({ publicKey: key }, false)).toBe('throws')
        expect(
          run(noble, { alg, publicKey: key, data, signature: good.toCompactRawBytes(), lowS: false }),
        ).toBe('throws')
      }
      // A bad signature is refused before the key is looked at, by both.
      expect(check({ publicKey: offCurve, signature: new Uint8Array(64) }, false)).toBe(false)
    })

    it('verifies with the same key compressed and uncompressed', () => {
      expect(check({ publicKey: curve.getPublicKey(priv, false) }, true)).toBe(true)
      expect(check({ publicKey }, true)).toBe(true)
    })
  })

  // Recovery (for keys published as Ethereum addresses) gives the keys for which the signature
  // verifies, one per recovery id; the address tells them apart. Each must verify with every backend.
  it('verifies with every key recovery finds (ES256K addresses), the signer among them', () => {
    const curve = curveOf('ES256K')
    const priv = generatePrivateKey('ES256K')
    const data = utf8('x.y')
    const sig = curve.sign(sha256(data), priv, { lowS: true }).toCompactRawBytes()
    const candidates = recoverEs256kPublicKeys({
      data: 'x.y',
      signature: Buffer.from(sig).toString('base64url'),
    })
    expect(candidates.length).toBeGreaterThan(0)
    expect(candidates.map(toHex)).toContain(toHex(curve.getPublicKey(priv, false)))
    for (const candidate of candidates) {
      const o = { alg: 'ES256K' as const, publicKey: candidate, data, signature: sig, lowS: true }
      expect(run(backend, o)).toBe(true)
      expect(reference(o)).toBe(true)
      expect(run(backend, { ...o, data: utf8('x.z') })).toBe(false)
    }
  })
})
