import { describe, expect, it } from 'vitest'
import * as crypto from './index'

describe('@clavis/crypto exports', () => {
  it('exports exactly the public API', () => {
    expect(Object.keys(crypto).sort()).toMatchInlineSnapshot(`
      [
        "ALLOWED_JWS_ALGORITHMS",
        "DEFAULT_CLOCK_SKEW_SECONDS",
        "ECDSA_BACKEND",
        "MAX_CLOCK_SKEW_SECONDS",
        "MAX_JWT_LENGTH",
        "MAX_SD_JWT_LENGTH",
        "MAX_STATUS_LIST_JWT_LENGTH",
        "base64urlDecode",
        "base64urlEncode",
        "base64urlJson",
        "compressedPublicKey",
        "createSigner",
        "curveOf",
        "decodeJwt",
        "ethereumAddressOf",
        "fail",
        "fromHex",
        "generatePrivateKey",
        "isAllowedJwsAlgorithm",
        "isObject",
        "jwkToPublicKey",
        "ok",
        "parseBase64urlJson",
        "publicKeyOf",
        "publicKeyToJwk",
        "randomBytes",
        "recoverEs256kPublicKeys",
        "sha256",
        "signJwt",
        "toHex",
        "uncompressedPublicKey",
        "utf8",
        "verifySignature",
      ]
    `)
  })

  it('verifies with OpenSSL on Node (the #ecdsa import, node condition)', () => {
    expect(crypto.ECDSA_BACKEND).toBe('openssl')
  })

  it('compresses a public key as noble does, for either parity of y', () => {
    for (const alg of ['ES256K', 'ES256'] as const) {
      for (let i = 0; i < 8; i++) {
        const priv = crypto.generatePrivateKey(alg)
        const compressed = crypto.publicKeyOf(alg, priv)
        const full = crypto.uncompressedPublicKey(alg, compressed)!
        expect(crypto.toHex(crypto.compressedPublicKey(full))).toBe(crypto.toHex(compressed))
        expect(crypto.compressedPublicKey(compressed)).toBe(compressed)
      }
    }
  })

  it('allows only ES256K and ES256', () => {
    expect(crypto.ALLOWED_JWS_ALGORITHMS).toEqual(['ES256K', 'ES256'])
    expect(crypto.isAllowedJwsAlgorithm('ES256K')).toBe(true)
    expect(crypto.isAllowedJwsAlgorithm('none')).toBe(false)
  })

  it('builds results and tells objects from other JSON', () => {
    expect(crypto.ok()).toEqual({ ok: true, value: undefined })
    expect(crypto.fail('expired', 'Too old.')).toEqual({
      ok: false,
      error: { code: 'expired', reason: 'Too old.' },
    })
    expect([{}, [], null, 'x'].map(crypto.isObject)).toEqual([true, false, false, false])
  })
})
