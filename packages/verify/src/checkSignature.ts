import type { Resolvable } from 'did-resolver'
import type { DecodedJwtCredential } from './decodeJwtCredential'
import { assertionKeys, verifyWithDocumentKeys } from './documentKeys'
import { resolveIssuer } from './resolveIssuer'
import type { CheckFailure } from './types'

/** The outcome of {@link checkSignature}: the id of the verification method that matched, or why not. */
export type CheckSignatureResult = { passed: true; kid: string } | CheckFailure

const failure = (code: CheckFailure['code'], reason: string): CheckFailure => ({
  passed: false,
  code,
  reason,
})

/**
 * Verifies the JWS signature against the current DID document of `iss`: only keys listed under
 * `assertionMethod` count, the header's `kid` is tried first, full public keys are verified
 * directly and address-only keys (ERC-1056 owners and delegates) by recovering the signer. A
 * deactivated or unresolvable DID fails here. Never throws.
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
  const document = resolved.resolution.didDocument!
  const keys = assertionKeys({ document, alg: decoded.header.alg, kid: decoded.header.kid })
  if (keys.length === 0) {
    return failure(
      'no_matching_key',
      `The DID document of ${issuer} has no assertion key usable with ${decoded.header.alg}.`,
    )
  }
  const dot = jwt.lastIndexOf('.')
  const key = verifyWithDocumentKeys({
    keys,
    alg: decoded.header.alg,
    data: jwt.slice(0, dot),
    signature: jwt.slice(dot + 1),
  })
  if (!key) {
    return failure(
      'invalid_signature',
      `The signature does not match any assertion key of ${issuer}: the credential was altered or signed by another key.`,
    )
  }
  return { passed: true, kid: key.id }
}
