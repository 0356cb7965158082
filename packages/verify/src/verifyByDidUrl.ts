import { ALLOWED_JWS_ALGORITHMS } from '@clavis/crypto'
import type { Resolvable } from 'did-resolver'
import { assertionKeys, type DocumentKey, verifyWithDocumentKeys } from './documentKeys'
import { resolveIssuer } from './resolveIssuer'

/**
 * Verifies a compact JWS signed by the key a DID URL names (`kid`): the DID is resolved, and the
 * key must be that very verification method, under one of `purposes` of the current document.
 * The matching key (with its public key, recovered for an address-only key), or undefined when
 * the algorithm is not ES256K/ES256, the DID does not resolve, or the signature is not that key's.
 * Never throws for bad input.
 *
 * @example
 * const key = await verifyByDidUrl({ compact: proofJwt, didUrl: header.kid, alg: header.alg, resolver, purposes: ['authentication'] })
 */
export async function verifyByDidUrl(options: {
  compact: string
  didUrl: string
  alg: string
  resolver: Resolvable
  purposes: readonly ('assertionMethod' | 'authentication')[]
}): Promise<(DocumentKey & { publicKey?: Uint8Array }) | undefined> {
  const { compact, didUrl, resolver } = options
  const alg = ALLOWED_JWS_ALGORITHMS.find((a) => a === options.alg)
  const did = didUrl.split('#')[0]!
  const [header, payload, signature, extra] = compact.split('.')
  if (!alg || !did.startsWith('did:') || signature === undefined || extra !== undefined) return undefined
  const resolved = await resolveIssuer({ did, resolver })
  if (!resolved.ok) return undefined
  for (const purpose of options.purposes) {
    const keys = assertionKeys({ document: resolved.value, alg, kid: didUrl, purpose })
    const key = verifyWithDocumentKeys({ keys, alg, data: `${header}.${payload}`, signature })
    if (key?.id === didUrl) return key
  }
  return undefined
}
