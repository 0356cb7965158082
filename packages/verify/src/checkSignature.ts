import { verifyJWT } from 'did-jwt'
import type { Resolvable } from 'did-resolver'
import type { DecodedJwtCredential } from './decodeJwtCredential'
import { resolveIssuer } from './resolveIssuer'
import type { CheckFailure } from './types'

/** The outcome of {@link checkSignature}: the id of the verification method that matched, or why not. */
export type CheckSignatureResult = { passed: true; kid: string } | CheckFailure

const failure = (code: CheckFailure['code'], reason: string): CheckFailure => ({
  passed: false,
  code,
  reason,
})

/** Maps a did-jwt error (its message starts with a code such as `invalid_signature:`) to our codes. */
function mapDidJwtError(error: unknown, issuer: string): CheckFailure {
  const message = error instanceof Error ? error.message : String(error)
  if (message.startsWith('no_suitable_keys')) {
    return failure(
      'no_matching_key',
      `The DID document of ${issuer} has no assertion key usable with this algorithm; ${message}`,
    )
  }
  if (message.startsWith('resolver_error')) return failure('did_not_resolved', message)
  if (message.startsWith('not_supported')) return failure('unsupported_algorithm', message)
  if (message.startsWith('invalid_signature')) {
    return failure(
      'invalid_signature',
      `The signature does not match any assertion key of ${issuer}: the credential was altered or signed by another key.`,
    )
  }
  return failure('invalid_signature', `The signature could not be verified: ${message}`)
}

/**
 * Verifies the JWS signature against the current DID document of `iss`. The DID is resolved once
 * (deactivated or unresolvable DIDs fail here) and the same result is handed to did-jwt's
 * `verifyJWT`, which only looks at keys listed under `assertionMethod`. did-jwt's time and audience
 * policies are off: the validity period is checked separately. Never throws.
 *
 * @example
 * const result = await checkSignature({ jwt, decoded, resolver })
 * if (result.passed) console.log('signed by', result.kid)
 */
export async function checkSignature(options: {
  jwt: string
  decoded: DecodedJwtCredential
  resolver: Resolvable
}): Promise<CheckSignatureResult> {
  const { jwt, decoded, resolver } = options
  const issuer = decoded.payload.iss
  const resolved = await resolveIssuer({ did: issuer, resolver })
  if (!resolved.ok) return resolved.failure

  // Pin the resolution so the document checked above is the one used to verify the signature.
  const pinned: Resolvable = { resolve: async () => resolved.resolution }
  try {
    const verified = await verifyJWT(jwt, {
      resolver: pinned,
      proofPurpose: 'assertionMethod',
      policies: { nbf: false, exp: false, iat: false, aud: false },
    })
    if (verified.verified !== true || verified.issuer !== issuer || typeof verified.signer?.id !== 'string') {
      return failure('invalid_signature', `The signature could not be attributed to ${issuer}.`)
    }
    return { passed: true, kid: verified.signer.id }
  } catch (error) {
    return mapDidJwtError(error, issuer)
  }
}
