import { createSigner, fromHex, type Signer } from '@clavis/crypto'
import { PrivateKeyStore } from '@veramo/data-store'
import { SecretBox } from '@veramo/kms-local'
import { computeAddress, SigningKey } from 'ethers'
import type { DataSource } from 'typeorm'
import type { ClavisVeramo } from '../veramo/create-agent'

/** What signs for a DID: its current controller key. */
export interface DidSigner {
  did: string
  /** Veramo key id (recorded on every credential it signs). */
  keyId: string
  /** The DID URL of the verification method a verifier should try first (JWS `kid`). */
  kid: string
  alg: 'ES256K'
  signer: Signer
  publicKeyHex: string
  address: string
}

/**
 * Signers for the organisations' DIDs. Private keys stay encrypted in Veramo's key store (SecretBox);
 * each is decrypted once per process when first needed and kept in memory, so issuing does not pay a
 * database read and a decryption per signature. `forget` drops a key after rotation or deactivation.
 *
 * @example
 * const keys = createSigningKeys({ db, secretKeyHex, veramo })
 * const { signer, kid } = await keys.signerFor(did)
 */
export function createSigningKeys(options: { db: DataSource; secretKeyHex: string; veramo: ClavisVeramo }) {
  const store = new PrivateKeyStore(options.db, new SecretBox(options.secretKeyHex))
  const cache = new Map<string, Promise<DidSigner>>()

  async function load(did: string): Promise<DidSigner> {
    const identifier = await options.veramo.didManagerGet({ did })
    const keyId = identifier.controllerKeyId
    if (!keyId) throw new Error(`${did} has no controller key`)
    const { privateKeyHex } = await store.getKey({ alias: keyId })
    const privateKey = fromHex(privateKeyHex)
    if (!privateKey) throw new Error(`key ${keyId} is not hex`)
    const compressed = SigningKey.computePublicKey(`0x${privateKeyHex}`, true).slice(2)
    // The DID's own public key is published as #controllerKey while it is the owner; after a
    // rotation the owner is only an address (#controller) and verifiers recover the key.
    const fragment = did.toLowerCase().endsWith(compressed.toLowerCase()) ? 'controllerKey' : 'controller'
    return {
      did,
      keyId,
      kid: `${did}#${fragment}`,
      alg: 'ES256K',
      signer: createSigner({ alg: 'ES256K', privateKey }),
      publicKeyHex: compressed,
      address: computeAddress(`0x${compressed}`),
    }
  }

  return {
    signerFor(did: string): Promise<DidSigner> {
      let p = cache.get(did)
      if (!p) {
        p = load(did)
        cache.set(did, p)
        p.catch(() => cache.delete(did))
      }
      return p
    },
    forget(did: string): void {
      cache.delete(did)
    },
  }
}

/** The agent's signer cache. */
export type SigningKeys = ReturnType<typeof createSigningKeys>
