import { compressedPublicKey, ethereumAddressOf, fail, jwkToPublicKey, ok, toHex } from '@clavis/crypto'
import type { Resolvable } from 'did-resolver'
import { assertionKeys } from './documentKeys'
import { resolveIssuer } from './resolveIssuer'
import type { CheckOutcome } from './types'

/**
 * Whether the public key `jwk` is an authentication key of `did` in its current DID document: a
 * listed public key equal to it, or (did:ethr) an account address derived from it. An SD-JWT VC
 * whose `sub` is a DID is bound (`cnf`) to a key of that DID, else anyone holding `cnf`'s key
 * could present a credential naming someone else. Gives `holder_mismatch`, or the resolution's
 * failure. Never throws.
 *
 * @example
 * const bound = await checkKeyOfDid({ did: payload.sub, jwk: payload.cnf.jwk, resolver })
 */
export async function checkKeyOfDid(options: {
  did: string
  jwk: unknown
  resolver: Resolvable
}): Promise<CheckOutcome> {
  const key = jwkToPublicKey(options.jwk)
  const mismatch = (why: string) =>
    fail(
      'holder_mismatch',
      `The credential names ${options.did} as its subject but binds it to a key that ${why}.`,
    )
  if (!key) return mismatch('is not a usable EC public key')
  const resolved = await resolveIssuer({ did: options.did, resolver: options.resolver })
  if (!resolved.ok) return resolved
  // Compared as encoded, without decompressing a listed key (a square root each): a 33-byte key
  // with the JWK's compressed form, a 65-byte one with its uncompressed form.
  const uncompressed = toHex(key.publicKey)
  const compressed = toHex(compressedPublicKey(key.publicKey))
  let address: string | undefined
  const keys = assertionKeys({ document: resolved.value, alg: key.alg, purpose: 'authentication' })
  const found = keys.some((k) => {
    if (k.kind !== 'address')
      return toHex(k.publicKey) === (k.publicKey.length === 33 ? compressed : uncompressed)
    if (key.alg !== 'ES256K') return false
    address ??= ethereumAddressOf(key.publicKey)
    return k.address === address
  })
  return found ? ok() : mismatch(`is not an authentication key of ${options.did}`)
}
