import { verifySignature } from '@clavis/crypto'
import { describe, expect, it } from 'vitest'
import { createDidEthrKey } from './did-ethr-key'
import { parseDidEthr } from './parse-did-ethr'

describe('createDidEthrKey', () => {
  it('names the key by its compressed public key on the chain', async () => {
    const key = createDidEthrKey({ chainId: 31337 })
    const parsed = parseDidEthr(key.did)
    expect(parsed).toMatchObject({ chainId: 31337, kind: 'publicKey' })
    expect(key.kid).toBe(`${key.did}#controllerKey`)
    const signature = await key.signer('a.b')
    const publicKey = Uint8Array.from(Buffer.from(parsed!.identifier.slice(2), 'hex'))
    expect(verifySignature({ alg: 'ES256K', publicKey, data: 'a.b', signature })).toBe(true)
  })

  it('is deterministic for a given private key', () => {
    const a = createDidEthrKey({ chainId: 1 })
    expect(createDidEthrKey({ chainId: 1, privateKey: a.privateKey }).did).toBe(a.did)
  })
})
