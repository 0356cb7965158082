import { ethereumAddressOf, jwkToPublicKey, toHex, uncompressedPublicKey } from '@clavis/crypto'
import type { Resolvable } from 'did-resolver'
import { assertionKeys } from './documentKeys'
import { resolveIssuer } from './resolveIssuer'
import type { CheckResult } from './types'

/**
 * Whether the public key `jwk` is an authentication key of `did` in its current DID document: a
 * listed public key equal to it, or (did:ethr) an account address derived from it. An SD-JWT VC
 * whose `sub` is a DID is bound (`cnf`) to a key of that DID, else anyone holding `cnf`'s key
 * could present a credential naming someone else. Never throws.
 *
 * @example
 * const bound = await checkKeyOfDid({ did: payload.sub, jwk: payload.cnf.jwk, resolver })
 */
export async function checkKeyOfDid(options: {
  did: string
  jwk: unknown
  resolver: Resolvable
}): Promise<CheckResult> {
  const key = jwkToPublicKey(options.jwk)
  const mismatch = (why: string): CheckResult => ({
    passed: false,
    code: 'holder_mismatch',
    reason: `The credential names ${options.did} as its subject but binds it to a key that ${why}.`,
  })
  if (!key) return mismatch('is not a usable EC public key')
  const resolved = await resolveIssuer({ did: options.did, resolver: options.resolver })
  if (!resolved.ok) return resolved.failure
  const wanted = toHex(key.publicKey)
  const address = key.alg === 'ES256K' ? ethereumAddressOf(key.publicKey) : undefined
  const keys = assertionKeys({
    document: resolved.resolution.didDocument!,
    alg: key.alg,
    purpose: 'authentication',
  })
  const found = keys.some((k) =>
    k.kind === 'address'
      ? k.address === address
      : toHex(uncompressedPublicKey(k.alg, k.publicKey) ?? new Uint8Array()) === wanted,
  )
  return found ? { passed: true } : mismatch(`is not an authentication key of ${options.did}`)
}
