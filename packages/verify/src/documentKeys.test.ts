import {
  base64urlDecode,
  base64urlEncode,
  createSigner,
  generatePrivateKey,
  type JwsAlgorithm,
  publicKeyOf,
  publicKeyToJwk,
  recoverEs256kPublicKeys,
} from '@clavis/crypto'
import { secp256k1 } from '@noble/curves/secp256k1'
import type { DIDDocument } from 'did-resolver'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ethrDocument, makeIdentity, type TestIdentity } from '../test/kits/identities'
import { assertionKeys, verifyWithDocumentKeys } from './documentKeys'

// A spy around the real recovery (results untouched), to see when the learned-key path is taken.
vi.mock('@clavis/crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@clavis/crypto')>()
  return { ...actual, recoverEs256kPublicKeys: vi.fn(actual.recoverEs256kPublicKeys) }
})

const DID = 'did:web:issuer.example'
const DATA = 'eyJhbGciOiJFUzI1NksifQ.eyJpc3MiOiJkaWQ6d2ViOmlzc3Vlci5leGFtcGxlIn0'

/** A key pair and its JsonWebKey2020 verification method `#<name>`. */
function jwkKey(name: string, alg: JwsAlgorithm = 'ES256K') {
  const privateKey = generatePrivateKey(alg)
  return {
    id: `${DID}#${name}`,
    sign: createSigner({ alg, privateKey }),
    method: {
      id: `${DID}#${name}`,
      type: 'JsonWebKey2020',
      controller: DID,
      publicKeyJwk: publicKeyToJwk({ alg, publicKey: publicKeyOf(alg, privateKey) }),
    },
  }
}

const documentOf = (
  methods: { id: string }[],
  purposes: Partial<Record<'assertionMethod' | 'authentication', string[]>>,
): DIDDocument => ({ id: DID, verificationMethod: methods, ...purposes }) as DIDDocument

const verify = (keys: ReturnType<typeof assertionKeys>, signature: string, alg: JwsAlgorithm = 'ES256K') =>
  verifyWithDocumentKeys({ keys, alg, data: DATA, signature })

/** The high-S twin of a low-S signature: the same (r, n − s), valid to lax verifiers. */
function highS(signature: string): string {
  const sig = secp256k1.Signature.fromCompact(base64urlDecode(signature)!)
  return base64urlEncode(new secp256k1.Signature(sig.r, secp256k1.CURVE.n - sig.s).toCompactRawBytes())
}

const recoveries = () => vi.mocked(recoverEs256kPublicKeys).mock.calls.length

let identity: TestIdentity

beforeEach(() => {
  identity = makeIdentity() // a fresh address each test, so nothing is learned yet
  vi.mocked(recoverEs256kPublicKeys).mockClear()
})

describe('assertionKeys', () => {
  it('puts the key named by kid first (absolute or relative)', () => {
    const [one, two] = [jwkKey('key-1'), jwkKey('key-2')]
    const document = documentOf([one.method, two.method], { assertionMethod: [one.id, two.id] })
    expect(assertionKeys({ document, alg: 'ES256K' }).map((k) => k.id)).toEqual([one.id, two.id])
    expect(assertionKeys({ document, alg: 'ES256K', kid: two.id }).map((k) => k.id)).toEqual([two.id, one.id])
    expect(assertionKeys({ document, alg: 'ES256K', kid: '#key-2' }).map((k) => k.id)).toEqual([
      two.id,
      one.id,
    ])
  })

  it('puts the key the kid names first, then full public keys before address-only keys', () => {
    const document = ethrDocument(identity, { withControllerKey: true })
    const named = assertionKeys({ document, alg: 'ES256K', kid: `${identity.did}#controller` })
    expect(named.map((k) => [k.id, k.kind])).toEqual([
      [`${identity.did}#controller`, 'address'],
      [`${identity.did}#controllerKey`, 'publicKey'],
    ])
    const unnamed = assertionKeys({ document, alg: 'ES256K' })
    expect(unnamed.map((k) => k.kind)).toEqual(['publicKey', 'address'])
  })

  it('ignores keys that are not under assertionMethod, and dangling references', () => {
    const [auth, assertion] = [jwkKey('auth'), jwkKey('assertion')]
    const document = documentOf([auth.method, assertion.method], {
      authentication: [auth.id],
      assertionMethod: [assertion.id, `${DID}#missing`],
    })
    const keys = assertionKeys({ document, alg: 'ES256K' })
    expect(keys.map((k) => k.id)).toEqual([assertion.id])
    expect(verify(keys, '')).toBeUndefined()
  })

  it('uses authentication keys only when asked for that purpose', async () => {
    const auth = jwkKey('auth')
    const document = documentOf([auth.method], { authentication: [auth.id] })
    const signature = await auth.sign(DATA)
    expect(verify(assertionKeys({ document, alg: 'ES256K' }), signature)).toBeUndefined()
    const keys = assertionKeys({ document, alg: 'ES256K', purpose: 'authentication' })
    expect(verify(keys, signature)?.id).toBe(auth.id)
  })

  it('takes embedded verification methods as they are', () => {
    const key = jwkKey('embedded')
    const document = { id: DID, assertionMethod: [key.method] } as DIDDocument
    expect(assertionKeys({ document, alg: 'ES256K' }).map((k) => k.id)).toEqual([key.id])
  })

  it('keeps only keys usable with the algorithm', () => {
    const [k1, p256] = [jwkKey('k1'), jwkKey('p256', 'ES256')]
    const document = documentOf([k1.method, p256.method], { assertionMethod: [k1.id, p256.id] })
    expect(assertionKeys({ document, alg: 'ES256K' }).map((k) => k.id)).toEqual([k1.id])
    expect(assertionKeys({ document, alg: 'ES256' }).map((k) => k.id)).toEqual([p256.id])
  })

  it('reads checksummed blockchainAccountIds as lower-case addresses', () => {
    const document = ethrDocument(identity)
    const checksummed = `0x${identity.address.slice(2).toUpperCase()}`
    document.verificationMethod![0]!.blockchainAccountId = `eip155:1337:${checksummed}`
    expect(assertionKeys({ document, alg: 'ES256K' })).toEqual([
      { id: `${identity.did}#controller`, alg: 'ES256K', kind: 'address', address: identity.address },
    ])
  })
})

describe('verifyWithDocumentKeys', () => {
  it('verifies a full public key directly, without recovery', async () => {
    const document = ethrDocument(identity, { withControllerKey: true })
    const keys = assertionKeys({ document, alg: 'ES256K' })
    const signature = await identity.signer(DATA)
    expect(verify(keys, signature)?.id).toBe(`${identity.did}#controllerKey`)
    expect(recoveries()).toBe(0)
  })

  it('recovers the signer of an address-only EcdsaSecp256k1RecoveryMethod2020 key', async () => {
    const keys = assertionKeys({ document: ethrDocument(identity), alg: 'ES256K' })
    const key = verify(keys, await identity.signer(DATA))
    expect(key).toMatchObject({
      id: `${identity.did}#controller`,
      kind: 'address',
      address: identity.address,
    })
    expect(key?.publicKey).toEqual(secp256k1.getPublicKey(identity.privateKey, false))
    expect(recoveries()).toBe(1)
  })

  it('verifies later signatures of a learned address directly', async () => {
    const keys = assertionKeys({ document: ethrDocument(identity), alg: 'ES256K' })
    expect(verify(keys, await identity.signer(DATA))).toBeDefined()
    const again = verifyWithDocumentKeys({
      keys,
      alg: 'ES256K',
      data: `${DATA}x`,
      signature: await identity.signer(`${DATA}x`),
    })
    expect(again).toMatchObject({ id: `${identity.did}#controller`, kind: 'address' })
    expect(recoveries()).toBe(1)
  })

  it('refuses another key for a learned address', async () => {
    const keys = assertionKeys({ document: ethrDocument(identity), alg: 'ES256K' })
    expect(verify(keys, await identity.signer(DATA))).toBeDefined()
    expect(verify(keys, await makeIdentity().signer(DATA))).toBeUndefined()
  })

  it('returns undefined for a signature by a key not in the document', async () => {
    const stranger = makeIdentity()
    const document = ethrDocument(identity, { withControllerKey: true })
    expect(verify(assertionKeys({ document, alg: 'ES256K' }), await stranger.signer(DATA))).toBeUndefined()
    expect(
      verify(assertionKeys({ document: ethrDocument(identity), alg: 'ES256K' }), await stranger.signer(DATA)),
    ).toBeUndefined()
  })

  it('returns undefined for altered data', async () => {
    const keys = assertionKeys({
      document: ethrDocument(identity, { withControllerKey: true }),
      alg: 'ES256K',
    })
    const signature = await identity.signer(DATA)
    expect(verifyWithDocumentKeys({ keys, alg: 'ES256K', data: `${DATA}A`, signature })).toBeUndefined()
  })

  it('accepts the high-S twin of a valid ES256K signature (JOSE has no low-S rule), by key and by address', async () => {
    const signature = highS(await identity.signer(DATA))
    for (const withControllerKey of [true, false]) {
      const keys = assertionKeys({ document: ethrDocument(identity, { withControllerKey }), alg: 'ES256K' })
      expect(verify(keys, signature)).toBeDefined()
    }
  })

  it('verifies ES256 with a P-256 JsonWebKey2020 key and not with ES256K keys', async () => {
    const [p256, k1] = [jwkKey('p256', 'ES256'), jwkKey('k1')]
    const document = documentOf([p256.method, k1.method], { assertionMethod: [p256.id, k1.id] })
    const signature = await p256.sign(DATA)
    expect(verify(assertionKeys({ document, alg: 'ES256' }), signature, 'ES256')).toMatchObject({
      id: p256.id,
      alg: 'ES256',
      kind: 'publicKey',
    })
    expect(verify(assertionKeys({ document, alg: 'ES256K' }), signature)).toBeUndefined()
    expect(verify(assertionKeys({ document, alg: 'ES256' }), await k1.sign(DATA), 'ES256')).toBeUndefined()
  })
})
