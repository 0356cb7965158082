import {
  createSigner,
  type EcPublicJwk,
  generatePrivateKey,
  publicKeyOf,
  publicKeyToJwk,
  type Signer,
  toHex,
} from '@clavis/crypto'

/** A secp256k1 key with its did:ethr: what a wallet holds for a patient or clinician. */
export interface DidEthrKey {
  did: string
  /** The DID URL of the key in the DID document (`#controllerKey`). */
  kid: string
  jwk: EcPublicJwk
  signer: Signer
  privateKey: Uint8Array
}

/**
 * A did:ethr for a secp256k1 key (`did:ethr:<hex chain id>:<compressed public key>`). It exists
 * without any transaction: resolution gives `#controllerKey` under authentication and assertion.
 *
 * @example
 * const patient = createDidEthrKey({ chainId: 31337 })
 * patient.did // did:ethr:0x7a69:0x02…
 */
export function createDidEthrKey(options: { chainId: number; privateKey?: Uint8Array }): DidEthrKey {
  const privateKey = options.privateKey ?? generatePrivateKey('ES256K')
  const publicKey = publicKeyOf('ES256K', privateKey)
  const did = `did:ethr:0x${options.chainId.toString(16)}:0x${toHex(publicKey)}`
  return {
    did,
    kid: `${did}#controllerKey`,
    jwk: publicKeyToJwk({ alg: 'ES256K', publicKey }),
    signer: createSigner({ alg: 'ES256K', privateKey }),
    privateKey,
  }
}
