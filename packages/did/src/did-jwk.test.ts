import { base64urlJson, generatePrivateKey, publicKeyOf, publicKeyToJwk } from '@clavis/crypto'
import { describe, expect, it } from 'vitest'
import { createDidJwkResolver, didJwkOf, jwkOfDidJwk } from './did-jwk'

const keyOf = (alg: 'ES256' | 'ES256K') =>
  publicKeyToJwk({ alg, publicKey: publicKeyOf(alg, generatePrivateKey(alg)) })

describe('did:jwk', () => {
  it('names a P-256 or secp256k1 public key and resolves to a document with it as #0', async () => {
    for (const alg of ['ES256', 'ES256K'] as const) {
      const jwk = keyOf(alg)
      const did = didJwkOf(jwk)
      expect(did).toMatch(/^did:jwk:eyJ/)
      expect(jwkOfDidJwk(did)).toEqual({ kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y })
      const { didDocument, didResolutionMetadata } = await createDidJwkResolver().resolve(`${did}#0`)
      expect(didResolutionMetadata.error).toBeUndefined()
      expect(didDocument?.id).toBe(did)
      expect(didDocument?.verificationMethod).toEqual([
        { id: `${did}#0`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwkOfDidJwk(did) },
      ])
      for (const relation of ['assertionMethod', 'authentication'] as const)
        expect(didDocument?.[relation]).toEqual([`${did}#0`])
    }
  })

  it('reads the JWK whatever the member order, as other implementations write it', () => {
    const jwk = keyOf('ES256')
    const other = `did:jwk:${base64urlJson({ kty: 'EC', x: jwk.x, y: jwk.y, crv: 'P-256', use: 'sig' })}`
    expect(jwkOfDidJwk(other)).toEqual({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y })
  })

  it('names nothing for a private key, an encryption key, a point off the curve, other key types or garbage', async () => {
    const jwk = keyOf('ES256')
    const offCurve = { ...jwk, y: jwk.x }
    for (const did of [
      `did:jwk:${base64urlJson({ ...jwk, d: 'AAAA' })}`,
      `did:jwk:${base64urlJson({ ...jwk, use: 'enc' })}`,
      `did:jwk:${base64urlJson(offCurve)}`,
      `did:jwk:${base64urlJson({ kty: 'OKP', crv: 'Ed25519', x: jwk.x })}`,
      'did:jwk:not-base64-json',
      `did:jwk:${'A'.repeat(2000)}`,
      'did:ethr:0x7a69:0x1111111111111111111111111111111111111111',
    ]) {
      expect(jwkOfDidJwk(did), did.slice(0, 40)).toBeUndefined()
      const resolved = await createDidJwkResolver().resolve(did)
      expect(resolved.didDocument).toBeNull()
      expect(resolved.didResolutionMetadata.error).toBe('invalidDid')
    }
  })
})
