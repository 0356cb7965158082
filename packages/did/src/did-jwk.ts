import { base64urlEncode, type EcPublicJwk, jwkToPublicKey, parseBase64urlJson, utf8 } from '@clavis/crypto'
import type { DIDDocument, DIDResolutionResult, ParsedDID, Resolvable } from 'did-resolver'

/** The longest did:jwk resolved (a P-256 or secp256k1 public JWK is about 150 characters). */
const MAX_DID_JWK_LENGTH = 1024

/**
 * The did:jwk of a public EC JWK (did:jwk method specification §2): `did:jwk:` and the base64url of
 * its JSON, members `crv`, `kty`, `x`, `y` in that order (what the key is, nothing else).
 *
 * @example
 * didJwkOf({ kty: 'EC', crv: 'P-256', x, y }) // 'did:jwk:eyJjcnYiOiJQLTI1NiIs…'
 */
export function didJwkOf(jwk: Pick<EcPublicJwk, 'crv' | 'x' | 'y'>): string {
  return `did:jwk:${base64urlEncode(utf8(JSON.stringify({ crv: jwk.crv, kty: 'EC', x: jwk.x, y: jwk.y })))}`
}

/**
 * The public EC JWK a did:jwk names, or undefined when it names none: not base64url JSON, not an
 * EC P-256 or secp256k1 public key on its curve, or a private key (a `d` is refused).
 *
 * @example
 * jwkOfDidJwk(didJwkOf(jwk)) // { kty: 'EC', crv, x, y }
 */
export function jwkOfDidJwk(did: string): EcPublicJwk | undefined {
  if (typeof did !== 'string' || !did.startsWith('did:jwk:') || did.length > MAX_DID_JWK_LENGTH)
    return undefined
  const id = did.slice('did:jwk:'.length)
  if (id.includes(':') || id.includes('#') || id.includes('?') || id.includes('/')) return undefined
  const jwk = parseBase64urlJson(id) as Record<string, unknown> | undefined
  if (!jwk || typeof jwk !== 'object' || 'd' in jwk || !jwkToPublicKey(jwk)) return undefined
  if (jwk.use !== undefined && jwk.use !== 'sig') return undefined
  return { kty: 'EC', crv: jwk.crv as EcPublicJwk['crv'], x: jwk.x as string, y: jwk.y as string }
}

/**
 * did:jwk resolution (did:jwk method specification §3.2): the document is derived from the DID
 * itself, one verification method `#0` (`JsonWebKey2020` with the public JWK) for assertions,
 * authentication and capabilities. Signing keys only: an encryption key (`use: enc`) or anything
 * that is not a public EC key resolves to `invalidDid`.
 *
 * @example
 * const resolver = new Resolver({ ...ethr, ...didJwkResolver() })
 */
export function didJwkResolver(): Record<
  string,
  (did: string, parsed: ParsedDID) => Promise<DIDResolutionResult>
> {
  return {
    jwk: async (did) => {
      const jwk = jwkOfDidJwk(did)
      if (!jwk)
        return { didResolutionMetadata: { error: 'invalidDid' }, didDocument: null, didDocumentMetadata: {} }
      const vm = `${did}#0`
      const didDocument: DIDDocument = {
        '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
        id: did,
        verificationMethod: [{ id: vm, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwk as never }],
        assertionMethod: [vm],
        authentication: [vm],
        capabilityInvocation: [vm],
        capabilityDelegation: [vm],
      }
      return {
        didResolutionMetadata: { contentType: 'application/did+ld+json' },
        didDocument,
        didDocumentMetadata: {},
      }
    },
  }
}

/** A resolver of did:jwk alone (for wallets and tests). */
export function createDidJwkResolver(): Resolvable {
  const jwk = didJwkResolver().jwk!
  return {
    resolve: async (didUrl) => {
      const did = didUrl.split('#')[0]!
      return jwk(did, { did, didUrl, method: 'jwk', id: did.slice(8) } as ParsedDID)
    },
  }
}
