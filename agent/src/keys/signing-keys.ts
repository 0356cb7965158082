import { createSigner, fromHex, type Signer } from '@clavis/crypto'
import { ClavisError } from '@clavis/errors'
import { PrivateKeyStore } from '@veramo/data-store'
import { SecretBox } from '@veramo/kms-local'
import type { DIDDocument, Resolvable } from 'did-resolver'
import { computeAddress, SigningKey } from 'ethers'
import type { DataSource } from 'typeorm'
import { AssertionKeyEntity, type AssertionKeyRow } from '../features/dids/entities'

/** How long a confirmation that the chain publishes a DID's signing key is reused. */
const ACCEPTED_CHECK_MS = 5000
/** How long the signing key must stay published beyond the validity of what it signs (clock skew). */
export const SIGNING_KEY_MARGIN_MS = 5 * 60 * 1000

/** What signs for a DID: its active assertion key (ADR 0024). */
export interface DidSigner {
  did: string
  /** Key store id (recorded on every credential it signs). */
  keyId: string
  /**
   * The DID URL of the key's verification method in the DID document as the chain has it now
   * (`<did>#delegate-N`), found by resolving the DID: the JWS `kid`.
   */
  kid: string
  alg: 'ES256K'
  signer: Signer
  publicKeyHex: string
  address: string
  /** Until when the chain publishes the key: nothing it signs may be valid longer. */
  validUntil: Date
}

/** Compressed lower-case hex of a secp256k1 public key, undefined if it is not one. */
function compressed(hex: string): string | undefined {
  try {
    return SigningKey.computePublicKey(`0x${hex.replace(/^0x/, '')}`, true)
      .slice(2)
      .toLowerCase()
  } catch {
    return undefined
  }
}

/**
 * The id of the verification method of `document` that holds `publicKeyHex` as an
 * `EcdsaSecp256k1VerificationKey2019` usable for assertions, or undefined when it lists none.
 *
 * @example
 * assertionMethodIdOf(document, '02ab…') // 'did:ethr:0x7a69:0x03…#delegate-1'
 */
export function assertionMethodIdOf(document: DIDDocument, publicKeyHex: string): string | undefined {
  const wanted = compressed(publicKeyHex)
  if (!wanted) return undefined
  const absolute = (id: string) => (id.startsWith('#') ? `${document.id}${id}` : id)
  const assertion = new Set(
    (document.assertionMethod ?? []).map((ref) => absolute(typeof ref === 'string' ? ref : ref.id)),
  )
  for (const vm of document.verificationMethod ?? []) {
    if (vm.type !== 'EcdsaSecp256k1VerificationKey2019' || typeof vm.publicKeyHex !== 'string') continue
    const id = absolute(vm.id)
    if (assertion.has(id) && compressed(vm.publicKeyHex) === wanted) return id
  }
  return undefined
}

const notCurrent = (message: string) => new ClavisError({ code: 'signing_key_not_current', message })

/**
 * Signers for the organisations' DIDs: each signs with its active assertion key. Private keys stay
 * encrypted in Veramo's key store (SecretBox); each is decrypted once per process when first needed
 * and kept in memory, so issuing does not pay a database read and a decryption per signature.
 * Before signing, the key must be active in the database and published in the DID document as the
 * chain has it (checked at most every 5 s per DID); its `kid` is the id the document gives it.
 * `forget` drops a key after a rotation or deactivation.
 *
 * @example
 * const keys = createSigningKeys({ db, secretKeyHex, resolver, provision })
 * const { signer, kid } = await keys.signerFor(did, { until: validUntil })
 */
export function createSigningKeys(options: {
  db: DataSource
  secretKeyHex: string
  /** Resolves DIDs as verifiers see them (the agent's resolver). */
  resolver: Resolvable
  /** Gives the DID's organisation its first assertion key when it has none (made before them). */
  provision?: (did: string) => Promise<void>
}) {
  const store = new PrivateKeyStore(options.db, new SecretBox(options.secretKeyHex))
  const cache = new Map<string, Promise<DidSigner>>()
  const confirmed = new Map<string, number>()
  const repo = () => options.db.getRepository(AssertionKeyEntity)

  /** The method id the DID document as the chain has it now gives the key, if it lists it. */
  async function methodIdOnChain(did: string, publicKeyHex: string): Promise<string | undefined> {
    const { didDocument, didResolutionMetadata } = await options.resolver.resolve(did)
    if (didResolutionMetadata.error || !didDocument) {
      throw new ClavisError({
        code: 'chain_unavailable',
        message: `${did} could not be resolved (${didResolutionMetadata.error ?? 'no document'}): nothing was signed.`,
      })
    }
    return assertionMethodIdOf(didDocument, publicKeyHex)
  }

  async function load(did: string): Promise<DidSigner> {
    let row: AssertionKeyRow | null = await repo().findOneBy({ did, state: 'active' })
    if (!row && options.provision) {
      await options.provision(did)
      row = await repo().findOneBy({ did, state: 'active' })
    }
    if (!row)
      throw notCurrent(
        `${did} has no signing key yet: nothing was signed. It is being set up; retry shortly, and if it persists the operator sees why in GET /v1/health.`,
      )
    // Gone when a rotation completed (here or in another process) since the row was read.
    const { privateKeyHex } = await store.getKey({ alias: row.keyId }).catch(() => {
      throw notCurrent(`The signing key of ${did} was just replaced: nothing was signed. Retry.`)
    })
    const privateKey = fromHex(privateKeyHex)
    if (!privateKey) throw new Error(`key ${row.keyId} is not hex`)
    const publicKeyHex = SigningKey.computePublicKey(`0x${privateKeyHex}`, true).slice(2)
    if (publicKeyHex.toLowerCase() !== row.publicKeyHex.toLowerCase())
      throw new Error(`key ${row.keyId} does not hold the public key recorded for it`)
    const kid = await methodIdOnChain(did, publicKeyHex)
    if (!kid)
      throw notCurrent(
        `The DID document of ${did} does not list its signing key: nothing was signed. A change to the DID is being completed, or the chain lost it; retry shortly, and if it persists the operator sees why in GET /v1/health.`,
      )
    confirmed.set(did, Date.now())
    return {
      did,
      keyId: row.keyId,
      kid,
      alg: 'ES256K',
      signer: createSigner({ alg: 'ES256K', privateKey }),
      publicKeyHex,
      address: computeAddress(`0x${publicKeyHex}`),
      validUntil: new Date(row.publishedUntil),
    }
  }

  /** Whether the key is still the DID's active one and published under the same id (cached briefly). */
  async function stillAccepted(signer: DidSigner): Promise<boolean> {
    const at = confirmed.get(signer.did)
    if (at !== undefined && Date.now() - at < ACCEPTED_CHECK_MS) return true
    const row = await repo().findOneBy({ keyId: signer.keyId })
    if (row?.state !== 'active') return false
    if ((await methodIdOnChain(signer.did, signer.publicKeyHex)) !== signer.kid) return false
    confirmed.set(signer.did, Date.now())
    return true
  }

  async function current(did: string): Promise<DidSigner> {
    for (let attempt = 0; ; attempt++) {
      let p = cache.get(did)
      if (!p) {
        p = load(did)
        cache.set(did, p)
        p.catch(() => cache.delete(did))
      }
      const signer = await p
      if (await stillAccepted(signer)) return signer
      // Rotated (here or by another process), or the chain changed: read it all again, once.
      if (cache.get(did) === p) cache.delete(did)
      confirmed.delete(did)
      if (attempt > 0)
        throw notCurrent(
          `The chain no longer publishes ${did}'s signing key as its database names it: nothing was signed. A change to the DID is being completed, or was made elsewhere; retry shortly, and if it persists the operator sees why in GET /v1/health.`,
        )
    }
  }

  return {
    /**
     * The DID's current signer; `signing_key_not_current` (409) when it has none the chain
     * publishes; with `until`, `signing_key_expires_first` (409) when the chain publishes the key
     * for less long than what is to be signed stays valid.
     */
    async signerFor(did: string, o: { until?: Date | undefined } = {}): Promise<DidSigner> {
      const signer = await current(did)
      if (o.until && o.until.getTime() + SIGNING_KEY_MARGIN_MS > signer.validUntil.getTime()) {
        const latest = new Date(signer.validUntil.getTime() - SIGNING_KEY_MARGIN_MS)
        throw new ClavisError({
          code: 'signing_key_expires_first',
          message: `The credential would be valid until ${o.until.toISOString()}, but the key that signs for ${did} is published on chain only until ${signer.validUntil.toISOString()}, after which its signature could not be checked: nothing was signed. Rotate the DID's keys (POST /v1/organisations/{id}/did/rotate with policy "routine", or ./clavis did rotate --policy routine) and issue again, or choose a validUntil before ${latest.toISOString()}.`,
        })
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
