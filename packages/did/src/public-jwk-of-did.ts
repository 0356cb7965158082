import { type EcPublicJwk, fromHex, publicKeyToJwk } from '@clavis/crypto'
import { jwkOfDidJwk } from './did-jwk'
import { parseDidEthr } from './parse-did-ethr'

/**
 * The public key a DID shows in itself: a `did:ethr` of a (compressed) secp256k1 public key, or a
 * `did:jwk`. Undefined for a `did:ethr` of an address (its key is only in the registry's history)
 * and for other methods. Wallets' DIDs show their key, so a grant can be bound to it and a DPoP
 * proof checked against it without resolving anything.
 *
 * @example
 * publicJwkOfDid('did:ethr:0x7a69:0x02b97c…') // { kty: 'EC', crv: 'secp256k1', x, y }
 */
export function publicJwkOfDid(did: string): EcPublicJwk | undefined {
  const ethr = parseDidEthr(did)
  if (ethr?.kind === 'publicKey') {
    const key = fromHex(ethr.identifier)
    return key ? publicKeyToJwk({ alg: 'ES256K', publicKey: key }) : undefined
  }
  if (did.startsWith('did:jwk:')) return jwkOfDidJwk(did)
  return undefined
}
