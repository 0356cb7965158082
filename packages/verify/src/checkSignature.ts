import { fail, type JwsAlgorithm, ok } from '@clavis/crypto'
import type { Resolvable } from 'did-resolver'
import { assertionKeys, verifyWithDocumentKeys } from './documentKeys'
import { resolveIssuer } from './resolveIssuer'
import type { CheckOutcome } from './types'

/** Options of {@link checkSignature}. */
export interface CheckSignatureParameters {
  /** The DID that must have signed (a credential's `iss`, a VP's holder). */
  signer: string
  /** The JWS header's algorithm and, when present, `kid` (tried first). */
  alg: JwsAlgorithm
  kid?: string | undefined
  /** `header.payload` as received. */
  signingInput: string
  /** The base64url signature as received. */
  signature: string
  resolver: Resolvable
  /** Which keys count: `assertionMethod` for credentials (default), `authentication` for a holder. */
  purpose?: 'assertionMethod' | 'authentication'
}

/**
 * Verifies a JWS signature against the current DID document of `signer`: only keys listed under
 * `purpose` count, the header's `kid` is tried first, full public keys are verified directly and
 * address-only keys (ERC-1056 owners and delegates) by recovering the signer. A deactivated or
 * unresolvable DID fails here (`did_deactivated`, `did_not_resolved`); no key for the algorithm is
 * `no_matching_key`, no key that verifies is `invalid_signature`. Returns the matching key's id.
 * Never throws.
 *
 * @example
 * const signed = await checkSignature({ signer: iss, alg, kid, signingInput, signature, resolver })
 * if (signed.ok) console.log('signed by', signed.value.kid)
 */
export async function checkSignature(
  options: CheckSignatureParameters,
): Promise<CheckOutcome<{ kid: string }>> {
  const { signer, alg } = options
  const purpose = options.purpose ?? 'assertionMethod'
  const resolved = await resolveIssuer({ did: signer, resolver: options.resolver })
  if (!resolved.ok) return resolved
  const keys = assertionKeys({ document: resolved.value, alg, kid: options.kid, purpose })
  if (keys.length === 0) {
    return fail('no_matching_key', `The DID document of ${signer} has no ${purpose} key usable with ${alg}.`)
  }
  const key = verifyWithDocumentKeys({ keys, alg, data: options.signingInput, signature: options.signature })
  if (!key) {
    return fail(
      'invalid_signature',
      `The signature does not match any ${purpose} key of ${signer}: the data was altered or signed by another key.`,
    )
  }
  return ok({ kid: key.id })
}
