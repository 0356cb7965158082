import {
  base64urlEncode,
  createSigner,
  generatePrivateKey,
  parseBase64urlJson,
  publicKeyOf,
  publicKeyToJwk,
  sha256,
  utf8,
  verifySignature,
} from '@clavis/crypto'
import { describe, expect, it } from 'vitest'
import { dpopProof } from './dpop'

describe('dpopProof', () => {
  it('signs htm, htu (no query), a fresh iat and jti, and the token hash, with the key in its header', async () => {
    const privateKey = generatePrivateKey('ES256K')
    const publicKey = publicKeyOf('ES256K', privateKey)
    const key = {
      did: 'did:x',
      kid: 'did:x#k',
      alg: 'ES256K' as const,
      jwk: publicKeyToJwk({ alg: 'ES256K', publicKey }),
      sign: createSigner({ alg: 'ES256K', privateKey }),
    }
    const proof = await dpopProof(key, 'GET', 'https://h.example/fhir/Observation?patient=p1#x', 'tok')
    const [h, p, s] = proof.split('.')
    expect(parseBase64urlJson(h!)).toEqual({ typ: 'dpop+jwt', alg: 'ES256K', jwk: key.jwk })
    const payload = parseBase64urlJson(p!) as Record<string, unknown>
    expect(payload).toMatchObject({
      htm: 'GET',
      htu: 'https://h.example/fhir/Observation',
      ath: base64urlEncode(sha256(utf8('tok'))),
    })
    expect(Math.abs((payload.iat as number) - Date.now() / 1000)).toBeLessThan(5)
    expect(verifySignature({ alg: 'ES256K', publicKey, data: `${h}.${p}`, signature: s! })).toBe(true)
    const other = parseBase64urlJson(
      (await dpopProof(key, 'GET', 'https://h.example/x')).split('.')[1]!,
    ) as Record<string, unknown>
    expect(other.jti).not.toBe(payload.jti)
    expect(other).not.toHaveProperty('ath')
  })
})
