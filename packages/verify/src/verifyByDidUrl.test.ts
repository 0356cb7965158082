import { base64urlJson, createSigner, generatePrivateKey, publicKeyOf, publicKeyToJwk } from '@clavis/crypto'
import type { Resolvable } from 'did-resolver'
import { describe, expect, it } from 'vitest'
import { verifyByDidUrl } from './verifyByDidUrl'

const DID = 'did:example:verifier'

async function setup() {
  const privateKey = generatePrivateKey('ES256')
  const jwk = publicKeyToJwk({ alg: 'ES256', publicKey: publicKeyOf('ES256', privateKey) })
  const resolver: Resolvable = {
    resolve: async () => ({
      didDocument: {
        id: DID,
        verificationMethod: [
          { id: `${DID}#0`, type: 'JsonWebKey2020', controller: DID, publicKeyJwk: jwk as never },
        ],
        assertionMethod: [`${DID}#0`],
      },
      didResolutionMetadata: {},
      didDocumentMetadata: {},
    }),
  }
  const sign = createSigner({ alg: 'ES256', privateKey })
  const jws = async (header: Record<string, unknown>) => {
    const input = `${base64urlJson(header)}.${base64urlJson({ hello: 'world' })}`
    return `${input}.${await sign(input)}`
  }
  return { resolver, jws }
}

describe('verifyByDidUrl', () => {
  it('finds the key the DID URL names under an allowed purpose', async () => {
    const { resolver, jws } = await setup()
    const compact = await jws({ alg: 'ES256', kid: `${DID}#0` })
    const key = await verifyByDidUrl({
      compact,
      didUrl: `${DID}#0`,
      alg: 'ES256',
      resolver,
      purposes: ['assertionMethod'],
    })
    expect(key?.id).toBe(`${DID}#0`)
    expect(key?.publicKey).toHaveLength(65)
  })

  it('refuses another purpose, another key id, another algorithm and a tampered JWS', async () => {
    const { resolver, jws } = await setup()
    const compact = await jws({ alg: 'ES256', kid: `${DID}#0` })
    const base = {
      compact,
      didUrl: `${DID}#0`,
      alg: 'ES256',
      resolver,
      purposes: ['assertionMethod'] as const,
    }
    expect(await verifyByDidUrl({ ...base, purposes: ['authentication'] })).toBeUndefined()
    expect(await verifyByDidUrl({ ...base, didUrl: `${DID}#1` })).toBeUndefined()
    expect(await verifyByDidUrl({ ...base, alg: 'none' })).toBeUndefined()
    expect(await verifyByDidUrl({ ...base, compact: `${compact.slice(0, -4)}AAAA` })).toBeUndefined()
    expect(await verifyByDidUrl({ ...base, compact: `${compact}.extra` })).toBeUndefined()
  })
})
