import { describe, expect, it } from 'vitest'
import { base64urlDecode, base64urlEncode, base64urlJson, parseBase64urlJson } from './base64url'
import { ethereumAddressOf } from './hash'
import { createSigner, recoverEs256kPublicKeys, verifySignature } from './jws'
import { curveOf, generatePrivateKey, jwkToPublicKey, publicKeyOf, publicKeyToJwk } from './keys'

describe('base64url', () => {
  it('round-trips every length', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff)
      expect(base64urlDecode(base64urlEncode(bytes))).toEqual(bytes)
      expect(base64urlEncode(bytes)).toBe(Buffer.from(bytes).toString('base64url'))
    }
  })
  it('refuses non-canonical and foreign characters', () => {
    expect(base64urlDecode('AR')).toBeUndefined() // trailing bits set
    expect(base64urlDecode('A+')).toBeUndefined()
    expect(base64urlDecode('A')).toBeUndefined()
    expect(parseBase64urlJson('not json')).toBeUndefined()
    expect(parseBase64urlJson(base64urlJson({ a: 1 }))).toEqual({ a: 1 })
  })
})

describe.each(['ES256K', 'ES256'] as const)('%s', (alg) => {
  const privateKey = generatePrivateKey(alg)
  const publicKey = publicKeyOf(alg, privateKey)

  it('signs and verifies; refuses other data and other keys; accepts the high-S twin (JOSE has no low-S rule)', async () => {
    const sig = await createSigner({ alg, privateKey })('a.b')
    expect(verifySignature({ alg, publicKey, data: 'a.b', signature: sig })).toBe(true)
    expect(verifySignature({ alg, publicKey, data: 'a.c', signature: sig })).toBe(false)
    expect(
      verifySignature({
        alg,
        publicKey: publicKeyOf(alg, generatePrivateKey(alg)),
        data: 'a.b',
        signature: sig,
      }),
    ).toBe(false)
    const curve = curveOf(alg)
    const s = curve.Signature.fromCompact(base64urlDecode(sig)!)
    const high = new curve.Signature(s.r, curve.CURVE.n - s.s).toCompactRawBytes()
    // RFC 8812 §3.2 / RFC 7518 §3.4: no low-S rule, so the malleated form verifies on both curves.
    expect(verifySignature({ alg, publicKey, data: 'a.b', signature: base64urlEncode(high) })).toBe(true)
    expect(verifySignature({ alg, publicKey, data: 'a.b', signature: 'AAAA' })).toBe(false)
  })

  it('converts keys to JWK and back', () => {
    const jwk = publicKeyToJwk({ alg, publicKey })
    const back = jwkToPublicKey(jwk)
    expect(back?.alg).toBe(alg)
    expect(curveOf(alg).ProjectivePoint.fromHex(back!.publicKey).toRawBytes(true)).toEqual(publicKey)
    expect(jwkToPublicKey({ ...jwk, d: 'secret' })).toBeUndefined()
    expect(jwkToPublicKey({ ...jwk, x: jwk.y.replace(/^./, jwk.y[0] === 'A' ? 'B' : 'A') })).toBeUndefined()
    expect(jwkToPublicKey({ kty: 'oct', k: 'x' })).toBeUndefined()
  })
})

describe('ES256K recovery', () => {
  it('recovers the signer among the candidates, matching its Ethereum address', async () => {
    const privateKey = generatePrivateKey('ES256K')
    const sig = await createSigner({ alg: 'ES256K', privateKey })('x.y')
    const want = ethereumAddressOf(curveOf('ES256K').getPublicKey(privateKey, false))
    const got = recoverEs256kPublicKeys({ data: 'x.y', signature: sig }).map(ethereumAddressOf)
    expect(got).toContain(want)
  })
})
