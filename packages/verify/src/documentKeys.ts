import {
  ethereumAddressOf,
  fromHex,
  type JwsAlgorithm,
  jwkToPublicKey,
  recoverEs256kPublicKeys,
  verifySignature,
} from '@clavis/crypto'
import type { DIDDocument, VerificationMethod } from 'did-resolver'

/** A key from a DID document usable for one JWS algorithm. */
export type DocumentKey =
  | { id: string; alg: JwsAlgorithm; kind: 'publicKey'; publicKey: Uint8Array }
  | { id: string; alg: 'ES256K'; kind: 'address'; address: string }

const absolute = (did: string, id: string) => (id.startsWith('#') ? `${did}${id}` : id)

function keyOf(did: string, vm: VerificationMethod, alg: JwsAlgorithm): DocumentKey | undefined {
  const id = absolute(did, vm.id)
  if (vm.publicKeyJwk) {
    const k = jwkToPublicKey(vm.publicKeyJwk)
    return k && k.alg === alg ? { id, alg, kind: 'publicKey', publicKey: k.publicKey } : undefined
  }
  if (alg !== 'ES256K') return undefined
  if (vm.type === 'EcdsaSecp256k1VerificationKey2019' && typeof vm.publicKeyHex === 'string') {
    const publicKey = fromHex(vm.publicKeyHex)
    return publicKey && (publicKey.length === 33 || publicKey.length === 65)
      ? { id, alg, kind: 'publicKey', publicKey }
      : undefined
  }
  if (vm.type === 'EcdsaSecp256k1RecoveryMethod2020') {
    const account = vm.blockchainAccountId ?? (vm as { ethereumAddress?: string }).ethereumAddress
    const address = typeof account === 'string' ? account.split(':').at(-1)?.toLowerCase() : undefined
    return address && /^0x[0-9a-f]{40}$/.test(address) ? { id, alg, kind: 'address', address } : undefined
  }
  return undefined
}

/**
 * The keys of a DID document that may sign assertions (credentials, status lists, presentations'
 * `assertionMethod`/`authentication`) with `alg`, the one named by `kid` first.
 *
 * @example
 * const keys = assertionKeys({ document, alg: 'ES256K', kid: `${did}#controllerKey` })
 */
export function assertionKeys(options: {
  document: DIDDocument
  alg: JwsAlgorithm
  kid?: string | undefined
  purpose?: 'assertionMethod' | 'authentication'
}): DocumentKey[] {
  const { document, alg } = options
  const did = document.id
  const byId = new Map<string, VerificationMethod>()
  for (const vm of document.verificationMethod ?? []) byId.set(absolute(did, vm.id), vm)
  const keys: DocumentKey[] = []
  for (const ref of document[options.purpose ?? 'assertionMethod'] ?? []) {
    const vm = typeof ref === 'string' ? byId.get(absolute(did, ref)) : ref
    if (!vm) continue
    const key = keyOf(did, vm, alg)
    if (key) keys.push(key)
  }
  const kid = options.kid ? absolute(did, options.kid) : undefined
  // The key the header names first; then full public keys (verifying beats recovering).
  const rank = (k: DocumentKey) => (k.id === kid ? 0 : k.kind === 'publicKey' ? 1 : 2)
  return keys.sort((a, b) => rank(a) - rank(b))
}

/** Public keys learned for Ethereum addresses from signatures that recovered to them (bounded). */
const learned = new Map<string, Uint8Array>()
const MAX_LEARNED = 1024

/**
 * Verifies a JWS signature against the keys of a DID document. Returns the matching key, or
 * undefined when none matches.
 *
 * @example
 * const key = verifyWithDocumentKeys({ keys, alg: 'ES256K', data: signingInput, signature })
 */
export function verifyWithDocumentKeys(options: {
  keys: readonly DocumentKey[]
  alg: JwsAlgorithm
  data: string
  signature: string
}): (DocumentKey & { publicKey?: Uint8Array }) | undefined {
  const { data, signature, alg } = options
  let recovered: string[] | undefined
  let recoveredKeys: Uint8Array[] = []
  for (const key of options.keys) {
    if (key.alg !== alg) continue
    if (key.kind === 'publicKey') {
      if (verifySignature({ alg, publicKey: key.publicKey, data, signature })) return key
      continue
    }
    // An address has exactly one public key: once a signature recovered to it, verify directly.
    const known = learned.get(key.address)
    if (known) {
      if (verifySignature({ alg, publicKey: known, data, signature })) return { ...key, publicKey: known }
      continue
    }
    if (!recovered) {
      recoveredKeys = recoverEs256kPublicKeys({ data, signature })
      recovered = recoveredKeys.map(ethereumAddressOf)
    }
    const i = recovered.indexOf(key.address)
    if (i >= 0) {
      if (learned.size >= MAX_LEARNED) learned.delete(learned.keys().next().value as string)
      learned.set(key.address, recoveredKeys[i]!)
      return { ...key, publicKey: recoveredKeys[i]! }
    }
  }
  return undefined
}
