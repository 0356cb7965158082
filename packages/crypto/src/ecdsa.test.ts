import { sha256 } from '@noble/hashes/sha256'
import { describe, expect, it } from 'vitest'
import { ecdsaVerify } from './ecdsa'
import { curveOf, generatePrivateKey } from './keys'

// Our verification (cached, precomputed points) must agree with @noble/curves' own verify on
// valid, tampered, foreign-key and malleated signatures, for both curves and both key encodings.
describe.each(['ES256K', 'ES256'] as const)('ecdsaVerify %s agrees with @noble/curves', (alg) => {
  const curve = curveOf(alg)
  // 40 cases: each of the 20 combinations of key (i % 4; keys 0 and 2 compressed, 1 and 3 not) and
  // variant (i % 5) twice, so every key is checked both before and after it gets its precomputed
  // table. (It was 300: over 5 s under load, nearly all in @noble/curves' own, uncached verify.)
  it('on 40 random cases', () => {
    const keys = Array.from({ length: 4 }, () => generatePrivateKey(alg))
    for (let i = 0; i < 40; i++) {
      const priv = keys[i % keys.length]!
      const publicKey = curve.getPublicKey(priv, i % 2 === 0)
      const hash = sha256(new Uint8Array([i, i >> 8]))
      let sig = curve.sign(hash, priv, { lowS: true }).toCompactRawBytes()
      const variant = i % 5
      let checkHash = hash
      if (variant === 1) checkHash = sha256(new Uint8Array([i, 255]))
      if (variant === 2) sig = curve.sign(hash, keys[(i + 1) % keys.length]!).toCompactRawBytes()
      if (variant === 3) {
        const s = curve.Signature.fromCompact(sig)
        sig = new curve.Signature(s.r, curve.CURVE.n - s.s).toCompactRawBytes()
      }
      if (variant === 4) sig = sig.map((b, j) => (j === 40 ? b ^ 1 : b))
      for (const lowS of [true, false]) {
        const want = curve.verify(sig, checkHash, publicKey, { lowS, prehash: false })
        expect(ecdsaVerify({ alg, publicKey, hash: checkHash, signature: sig, lowS })).toBe(want)
      }
    }
  })

  it('refuses out-of-range r and s', () => {
    const publicKey = curve.getPublicKey(generatePrivateKey(alg), true)
    const hash = sha256(new Uint8Array([1]))
    const zero = new Uint8Array(64)
    const big = new Uint8Array(64).fill(0xff)
    expect(ecdsaVerify({ alg, publicKey, hash, signature: zero, lowS: false })).toBe(false)
    expect(ecdsaVerify({ alg, publicKey, hash, signature: big, lowS: false })).toBe(false)
  })
})
