// Test-only: what the interop tests share — an independent did:ethr resolver, public keys from DID
// documents as node:crypto keys, a foreign Veramo 7 agent, and a document loader for
// @digitalbazaar/vc-bitstring-status-list that fetches a Clavis list over loopback and verifies it
// with a foreign library before handing it over (the library leaves that to its caller).
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { createDidEthrKey, type DidEthrKey } from '@clavis/did'
import { createAgent, type TAgent } from '@veramo/core'
import type { ICredentialPlugin, IDIDManager, IKeyManager, IResolver } from '@veramo/core-types'
import { CredentialProviderJWT } from '@veramo/credential-jwt'
import { CredentialPlugin } from '@veramo/credential-w3c'
import { DIDManager, MemoryDIDStore } from '@veramo/did-manager'
import { EthrDIDProvider } from '@veramo/did-provider-ethr'
import { DIDResolverPlugin } from '@veramo/did-resolver'
import { KeyManager, MemoryKeyStore, MemoryPrivateKeyStore } from '@veramo/key-manager'
import { KeyManagementSystem } from '@veramo/kms-local'
import { verifyCredential as verifyJwtVc } from 'did-jwt-vc'
import { type DIDDocument, Resolver, type ResolverRegistry } from 'did-resolver'
import { getResolver } from 'ethr-did-resolver'
import { decodeProtectedHeader, decodeJwt as joseDecode, jwtVerify } from 'jose'
import { expect } from 'vitest'
import type { TestAgent } from './harness'

/** The local chain's id, as the agent's DIDs name it (0x7a69). */
export const CHAIN_ID = 31337

/** SPKI DER prefix of a compressed secp256k1 public key (id-ecPublicKey, secp256k1, 33-byte point). */
const SECP256K1_SPKI_PREFIX = Buffer.from('3036301006072a8648ce3d020106052b8104000a032200', 'hex')

/** A resolver that reads the registry straight from the chain, as any verifier configured with its RPC URL does. */
export async function chainResolver(
  t: TestAgent,
): Promise<{ resolver: Resolver; rpcUrl: string; registry: string }> {
  // The RPC endpoint is the operator's to know (an independent verifier is configured with it).
  const health = await t.request('GET', '/v1/health', { token: t.admin })
  expect(health.status).toBe(200)
  const { rpcOrigin: rpcUrl, registry } = health.body.chain
  // ethr-did-resolver is typed against another did-resolver major; the registry shape is the same.
  const ethr = getResolver({ networks: [{ chainId: CHAIN_ID, registry, rpcUrl }] })
  return { resolver: new Resolver(ethr as unknown as ResolverRegistry), rpcUrl, registry }
}

/**
 * The public key of the verification method `kid` names in `did`'s current document, as a node:crypto
 * key (what jose verifies with): its `publicKeyHex` (compressed secp256k1) or `publicKeyJwk`.
 */
export async function publicKeyOf(resolver: Resolver, kid: string): Promise<KeyObject> {
  const did = kid.split('#')[0]!
  const { didDocument } = await resolver.resolve(did)
  const method = ((didDocument as DIDDocument).verificationMethod ?? []).find(
    (m) => m.id === kid || `${did}${m.id}` === kid,
  )
  if (method?.publicKeyJwk) return createPublicKey({ key: method.publicKeyJwk as never, format: 'jwk' })
  if (typeof method?.publicKeyHex !== 'string')
    throw new Error(`${kid} has no public key in the document (only an address?)`)
  return createPublicKey({
    key: Buffer.concat([SECP256K1_SPKI_PREFIX, Buffer.from(method.publicKeyHex, 'hex')]),
    format: 'der',
    type: 'spki',
  })
}

/** A foreign party's did:ethr key with its private key as a node:crypto key (what jose signs with). */
export function foreignParty(): DidEthrKey & {
  privateKeyObject: KeyObject
  privateKeyHex: string
  publicKeyHex: string
} {
  const key = createDidEthrKey({ chainId: CHAIN_ID })
  const d = Buffer.from(key.privateKey).toString('base64url')
  return {
    ...key,
    privateKeyObject: createPrivateKey({ key: { ...key.jwk, d } as never, format: 'jwk' }),
    privateKeyHex: Buffer.from(key.privateKey).toString('hex'),
    publicKeyHex: key.did.split(':').at(-1)!.slice(2),
  }
}

/** A Veramo 7 agent with its own (in-memory) key and DID stores: another organisation's software. */
export type ForeignVeramo = TAgent<IDIDManager & IKeyManager & IResolver & ICredentialPlugin>

/** A foreign Veramo agent on the same chain, holding `party`'s DID and key. */
export async function foreignVeramo(options: {
  resolver: Resolver
  rpcUrl: string
  registry: string
  party: ReturnType<typeof foreignParty>
}): Promise<ForeignVeramo> {
  const provider = `did:ethr:0x${CHAIN_ID.toString(16)}`
  const agent = createAgent<IDIDManager & IKeyManager & IResolver & ICredentialPlugin>({
    plugins: [
      new KeyManager({
        store: new MemoryKeyStore(),
        kms: { local: new KeyManagementSystem(new MemoryPrivateKeyStore()) },
      }),
      new DIDManager({
        store: new MemoryDIDStore(),
        defaultProvider: provider,
        providers: {
          [provider]: new EthrDIDProvider({
            defaultKms: 'local',
            networks: [
              {
                name: `0x${CHAIN_ID.toString(16)}`,
                chainId: BigInt(CHAIN_ID),
                rpcUrl: options.rpcUrl,
                registry: options.registry,
              },
            ],
          }),
        },
      }),
      new DIDResolverPlugin({ resolver: options.resolver }),
      new CredentialPlugin([new CredentialProviderJWT()]),
    ],
  })
  const { party } = options
  await agent.didManagerImport({
    did: party.did,
    provider,
    controllerKeyId: party.kid,
    keys: [
      {
        kid: party.kid,
        kms: 'local',
        type: 'Secp256k1',
        privateKeyHex: party.privateKeyHex,
        publicKeyHex: party.publicKeyHex,
      },
    ],
    services: [],
  })
  return agent
}

/** The agent's answer for one of its public URLs, fetched over loopback (the tests reach it at `t.url`). */
export async function fetchFromAgent(t: TestAgent, url: string): Promise<Response> {
  expect(url.startsWith(`${t.agent.ctx.publicUrl}/`), url).toBe(true)
  return fetch(`${t.url}${new URL(url).pathname}`)
}

/**
 * A `documentLoader` for @digitalbazaar/vc-bitstring-status-list's `checkStatus`: fetches the list
 * credential over HTTP and verifies it with a foreign library — did-jwt-vc for a VC 1.1 JWT
 * (`application/jwt`), jose for a VC-JOSE-COSE `vc+jwt` (`application/vc+jwt`, `typ` checked) — and
 * returns the credential. `seen` collects the media types served.
 */
export function verifyingLoader(t: TestAgent, resolver: Resolver, seen: string[] = []) {
  return async (url: string) => {
    const res = await fetchFromAgent(t, url)
    expect(res.status).toBe(200)
    const type = res.headers.get('content-type') ?? ''
    seen.push(type)
    const jwt = await res.text()
    if (type === 'application/vc+jwt') {
      const { kid } = decodeProtectedHeader(jwt)
      const { payload } = await jwtVerify(jwt, await publicKeyOf(resolver, kid!), {
        typ: 'vc+jwt',
        algorithms: ['ES256K'],
      })
      return { document: payload }
    }
    expect(type).toBe('application/jwt')
    const verified = await verifyJwtVc(jwt, resolver)
    return { document: verified.verifiableCredential }
  }
}

/**
 * jose signs ES256K with Node's OpenSSL, whose `s` is high (above n/2) about half the time; Clavis
 * takes ES256K signatures in low-S form only (ADR 0008, 0012). Signs until jose's own output is
 * low-S, so what Clavis gets is jose's, untouched (a high-S one is pinned separately).
 */
export async function lowS(sign: () => Promise<string>): Promise<{ jwt: string; highS: string }> {
  let highS: string | undefined
  let jwt: string | undefined
  for (let i = 0; i < 64 && !(jwt && highS); i++) {
    const candidate = await sign()
    if (isHighS(candidate)) highS ??= candidate
    else jwt ??= candidate
  }
  if (!jwt || !highS) throw new Error('jose gave only one form of signature in 64 tries')
  return { jwt, highS }
}

const SECP256K1_N = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141')

/** Whether an ES256K JWS's `s` is above n/2. */
export function isHighS(jwt: string): boolean {
  const signature = Buffer.from(jwt.split('.')[2]!, 'base64url')
  return BigInt(`0x${signature.subarray(32).toString('hex')}`) > SECP256K1_N / 2n
}

/** The JWT Claims Set, decoded by jose (not verified). */
export const claimsOf = (jwt: string) => joseDecode(jwt) as Record<string, unknown>
