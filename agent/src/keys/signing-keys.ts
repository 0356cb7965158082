import { createSigner, fromHex, type Signer } from '@clavis/crypto'
import { ClavisError } from '@clavis/errors'
import { PrivateKeyStore } from '@veramo/data-store'
import { SecretBox } from '@veramo/kms-local'
import { computeAddress, SigningKey } from 'ethers'
import type { DataSource } from 'typeorm'
import type { ClavisVeramo } from '../veramo/create-agent'

/** How long a confirmation that the chain accepts a DID's signing key is reused. */
const OWNER_CHECK_MS = 5000

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
export function createSigningKeys(options: {
  db: DataSource
  secretKeyHex: string
  veramo: ClavisVeramo
  /** The address the chain names as the DID's owner (lower case); checked at most every 5 s per DID. */
  chainOwner?: (did: string) => Promise<string>
}) {
  const store = new PrivateKeyStore(options.db, new SecretBox(options.secretKeyHex))
  const cache = new Map<string, Promise<DidSigner>>()
  const confirmed = new Map<string, { address: string; at: number }>()

  /** Throws unless the chain names `signer`'s key as the owner of its DID (cached briefly). */
  async function assertAccepted(signer: DidSigner): Promise<void> {
    if (!options.chainOwner) return
    const address = signer.address.toLowerCase()
    const hit = confirmed.get(signer.did)
    if (hit && hit.address === address && Date.now() - hit.at < OWNER_CHECK_MS) return
    const owner = await options.chainOwner(signer.did)
    if (owner !== address) {
      confirmed.delete(signer.did)
      throw new ClavisError({
        code: 'signing_key_not_current',
        message: `The chain no longer accepts ${signer.did}'s signing key (its owner is ${owner}): nothing was signed. A change to the DID is being completed, or was made elsewhere; retry shortly, and if it persists the operator sees why in GET /v1/health.`,
      })
    }
    confirmed.set(signer.did, { address, at: Date.now() })
  }

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
    /** The DID's current signer; `signing_key_not_current` (409) when the chain no longer accepts it. */
    async signerFor(did: string): Promise<DidSigner> {
      let p = cache.get(did)
      if (!p) {
        p = load(did)
        cache.set(did, p)
        p.catch(() => cache.delete(did))
      }
      const signer = await p
      try {
        await assertAccepted(signer)
      } catch (e) {
        // The database may have moved on (another process completed a rotation): read it again next time.
        cache.delete(did)
        throw e
      }
      return signer
    },
    forget(did: string): void {
      cache.delete(did)
      confirmed.delete(did)
    },
  }
}

/** The agent's signer cache. */
export type SigningKeys = ReturnType<typeof createSigningKeys>
