import { publicKeyOf, publicKeyToJwk, randomBytes, toHex } from '@clavis/crypto'
import { describe, expect, it } from 'vitest'
import { didJwkOf } from './did-jwk'
import { publicJwkOfDid } from './public-jwk-of-did'

describe('publicJwkOfDid', () => {
  it('gives the key of a did:ethr of a public key and of a did:jwk; nothing for an address', () => {
    const publicKey = publicKeyOf('ES256K', randomBytes(32))
    const jwk = publicKeyToJwk({ alg: 'ES256K', publicKey })
    expect(publicJwkOfDid(`did:ethr:0x7a69:0x${toHex(publicKey)}`)).toEqual(jwk)
    expect(publicJwkOfDid(didJwkOf(jwk))).toMatchObject({ x: jwk.x, y: jwk.y })
    expect(publicJwkOfDid('did:ethr:0x7a69:0x1234567890123456789012345678901234567890')).toBeUndefined()
    expect(publicJwkOfDid('did:web:example.org')).toBeUndefined()
  })
})
