import {
  ethereumAddressOf,
  generatePrivateKey,
  publicKeyOf,
  publicKeyToJwk,
  toHex,
  uncompressedPublicKey,
} from '@clavis/crypto'
import type { DIDDocument, Resolvable } from 'did-resolver'
import { describe, expect, it } from 'vitest'
import { checkKeyOfDid } from './checkKeyOfDid'

const DID = 'did:ethr:0x7a69:0x1111111111111111111111111111111111111111'

/** A resolver answering one document whose authentication key is `method`. */
function documentWith(method: Record<string, unknown>): Resolvable {
  const document: DIDDocument = {
    id: DID,
    verificationMethod: [{ id: `${DID}#key`, controller: DID, ...method } as never],
    authentication: [`${DID}#key`],
  }
  return {
    resolve: async () => ({ didDocument: document, didResolutionMetadata: {}, didDocumentMetadata: {} }),
  }
}

const holderKey = () => {
  const compressed = publicKeyOf('ES256K', generatePrivateKey('ES256K'))
  const full = uncompressedPublicKey('ES256K', compressed)!
  return { compressed, full, jwk: publicKeyToJwk({ alg: 'ES256K', publicKey: compressed }) }
}
const hexKey = (bytes: Uint8Array) => ({
  type: 'EcdsaSecp256k1VerificationKey2019',
  publicKeyHex: toHex(bytes),
})

describe('checkKeyOfDid', () => {
  it('finds the cnf key listed compressed, uncompressed, as a JWK or as its account address', async () => {
    // Several keys, so that both parities of y are met.
    for (let i = 0; i < 6; i++) {
      const key = holderKey()
      for (const method of [
        hexKey(key.compressed),
        hexKey(key.full),
        { type: 'JsonWebKey2020', publicKeyJwk: key.jwk },
        {
          type: 'EcdsaSecp256k1RecoveryMethod2020',
          blockchainAccountId: `eip155:31337:${ethereumAddressOf(key.full)}`,
        },
      ]) {
        const result = await checkKeyOfDid({ did: DID, jwk: key.jwk, resolver: documentWith(method) })
        expect(result, JSON.stringify(method)).toEqual({ ok: true, value: undefined })
      }
    }
  })

  it('refuses another key, the same x with the other y, and an unusable JWK', async () => {
    const key = holderKey()
    const other = holderKey()
    const flipped = Uint8Array.from(key.compressed)
    flipped[0] = flipped[0] === 2 ? 3 : 2
    const wrongY = Uint8Array.from(key.full)
    wrongY[64] = wrongY[64]! ^ 1
    for (const method of [hexKey(other.compressed), hexKey(flipped), hexKey(wrongY)]) {
      const result = await checkKeyOfDid({ did: DID, jwk: key.jwk, resolver: documentWith(method) })
      expect(result).toMatchObject({ ok: false, error: { code: 'holder_mismatch' } })
    }
    const unusable = await checkKeyOfDid({
      did: DID,
      jwk: { kty: 'EC', crv: 'secp256k1', x: key.jwk.x, y: key.jwk.x },
      resolver: documentWith(hexKey(key.compressed)),
    })
    expect(unusable).toMatchObject({ ok: false, error: { code: 'holder_mismatch' } })
  })
})
