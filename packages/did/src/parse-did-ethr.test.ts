import { describe, expect, it } from 'vitest'
import { parseDidEthr } from './parse-did-ethr'

const KEY = '0x03fdd57adec3d438ea237fe46b33ee1e016eda6b585c3e27ea66686c2ea5358479'

describe('parseDidEthr', () => {
  it('reads a hex chain id and a public key', () => {
    expect(parseDidEthr(`did:ethr:0x7a69:${KEY}`)).toEqual({
      did: `did:ethr:0x7a69:${KEY}`,
      network: '0x7a69',
      chainId: 31337,
      identifier: KEY,
      kind: 'publicKey',
    })
  })

  it('reads a named network and an address', () => {
    const did = 'did:ethr:sepolia:0xb9c5714089478a327f09197987f16f9e5d936e8a'
    expect(parseDidEthr(did)).toMatchObject({ network: 'sepolia', chainId: undefined, kind: 'address' })
  })

  it('treats a missing network as mainnet', () => {
    expect(parseDidEthr('did:ethr:0xb9c5714089478a327f09197987f16f9e5d936e8a')?.chainId).toBe(1)
  })

  it('refuses what is not a did:ethr', () => {
    for (const bad of [
      'did:web:example.com',
      'did:ethr:0x1234',
      `did:ethr:0x7a69:${KEY}#controller`,
      '',
      'did:ethr:',
    ]) {
      expect(parseDidEthr(bad)).toBeUndefined()
    }
  })
})
