// Test-only helpers: real ES256K keys, did:ethr-shaped documents and an in-memory resolver.
import {
  createSigner,
  ethereumAddressOf,
  generatePrivateKey,
  type JsonObject,
  type JwsAlgorithm,
  publicKeyOf,
  signJwt,
  toHex,
} from '@clavis/crypto'
import { secp256k1 } from '@noble/curves/secp256k1'
import type { DIDDocument, DIDResolutionResult, Resolvable } from 'did-resolver'

/** Chain id of the local development chain (hex 0x539). */
export const CHAIN_ID = 1337

/** A JOSE signer usable both as a `@clavis/crypto` Signer and as a did-jwt Signer (which may pass bytes). */
export type TestSigner = (data: string | Uint8Array) => Promise<string>

/** {@link createSigner} for `alg`, accepting the signing input as a string or as its bytes. */
export function joseSigner(alg: JwsAlgorithm, privateKey: Uint8Array): TestSigner {
  const sign = createSigner({ alg, privateKey })
  return (data) => sign(typeof data === 'string' ? data : new TextDecoder().decode(data))
}

/** A did:ethr identity with its private key and (ES256K JOSE) signer. */
export interface TestIdentity {
  did: string
  /** Lower-case Ethereum address of the key. */
  address: string
  /** Compressed public key, hex. */
  publicKeyHex: string
  privateKey: Uint8Array
  signer: TestSigner
}

/** Makes a fresh secp256k1 key and the did:ethr on chain 1337 controlled by it. */
export function makeIdentity(): TestIdentity {
  const privateKey = generatePrivateKey('ES256K')
  const address = ethereumAddressOf(secp256k1.getPublicKey(privateKey, false))
  return {
    did: `did:ethr:0x539:${address}`,
    address,
    publicKeyHex: toHex(publicKeyOf('ES256K', privateKey)),
    privateKey,
    signer: joseSigner('ES256K', privateKey),
  }
}

/**
 * A DID document shaped like ethr-did-resolver's: `#controller` (EcdsaSecp256k1RecoveryMethod2020
 * with a CAIP-10 `blockchainAccountId`) and, with `withControllerKey`, `#controllerKey`
 * (EcdsaSecp256k1VerificationKey2019 with `publicKeyHex`), both under authentication and assertionMethod.
 */
export function ethrDocument(
  identity: TestIdentity,
  options: { withControllerKey?: boolean } = {},
): DIDDocument {
  const { did } = identity
  const controller = {
    id: `${did}#controller`,
    type: 'EcdsaSecp256k1RecoveryMethod2020',
    controller: did,
    blockchainAccountId: `eip155:${CHAIN_ID}:${identity.address}`,
  }
  const controllerKey = {
    id: `${did}#controllerKey`,
    type: 'EcdsaSecp256k1VerificationKey2019',
    controller: did,
    publicKeyHex: identity.publicKeyHex,
  }
  const methods = options.withControllerKey ? [controller, controllerKey] : [controller]
  return {
    id: did,
    verificationMethod: methods,
    authentication: methods.map((method) => method.id),
    assertionMethod: methods.map((method) => method.id),
  }
}

/** A successful resolution result. */
export function resolved(didDocument: DIDDocument, didDocumentMetadata = {}): DIDResolutionResult {
  return { didResolutionMetadata: { contentType: 'application/did+json' }, didDocument, didDocumentMetadata }
}

/** The result ethr-did-resolver gives for a deactivated DID (owner set to the null address). */
export function deactivated(did: string): DIDResolutionResult {
  return resolved(
    { id: did, verificationMethod: [], authentication: [], assertionMethod: [] },
    { deactivated: true },
  )
}

/** An in-memory Resolvable: known DIDs resolve to the given result, others to `notFound`. */
export function memoryResolver(results: Record<string, DIDResolutionResult>): Resolvable {
  return {
    resolve: async (did) =>
      results[did] ?? {
        didResolutionMetadata: { error: 'notFound', message: `${did} is not known` },
        didDocument: null,
        didDocumentMetadata: {},
      },
  }
}

/** Signs an arbitrary header and payload (no checks), for tests that need headers did-jwt would not make. */
export function signRawJwt(
  header: JsonObject,
  payload: unknown,
  signer: (data: string) => Promise<string>,
): Promise<string> {
  return signJwt({ header, payload: payload as JsonObject, signer })
}
