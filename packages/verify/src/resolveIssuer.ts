import { fail, isObject, ok } from '@clavis/crypto'
import type { DIDDocument, DIDResolutionResult, Resolvable } from 'did-resolver'
import type { CheckOutcome } from './types'

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/**
 * Resolves a DID (an issuer's, a holder's, a list signer's) once and checks the result: a resolver
 * that throws, reports an error, returns no document, or returns a document for another DID gives
 * `did_not_resolved`; a document whose metadata says `deactivated` gives `did_deactivated`. Returns
 * the current DID document. Never throws.
 *
 * @example
 * const resolved = await resolveIssuer({ did: 'did:ethr:0x…', resolver })
 * if (!resolved.ok) console.log(resolved.error.code)
 * else assertionKeys({ document: resolved.value, alg: 'ES256K' })
 */
export async function resolveIssuer(options: {
  did: string
  resolver: Resolvable
}): Promise<CheckOutcome<DIDDocument>> {
  const { did, resolver } = options
  let resolution: DIDResolutionResult
  try {
    resolution = await resolver.resolve(did, { accept: 'application/did+json' })
  } catch (error) {
    return fail('did_not_resolved', `Resolving the DID ${did} failed: ${describe(error)}.`)
  }
  if (!isObject(resolution) || !('didDocument' in resolution)) {
    return fail('did_not_resolved', `The resolver returned no DID resolution result for ${did}.`)
  }
  const error = resolution.didResolutionMetadata?.error
  if (error !== undefined) {
    const message = resolution.didResolutionMetadata?.message
    const detail = typeof message === 'string' && message.length > 0 ? ` (${message})` : ''
    return fail('did_not_resolved', `The DID ${did} could not be resolved: ${String(error)}${detail}.`)
  }
  if (resolution.didDocumentMetadata?.deactivated === true) {
    return fail('did_deactivated', `The DID ${did} is deactivated; what it signed is no longer valid.`)
  }
  const document = resolution.didDocument
  if (!isObject(document)) {
    return fail('did_not_resolved', `The resolver returned no DID document for ${did}.`)
  }
  if (document.id !== did) {
    return fail(
      'did_not_resolved',
      `The resolver returned a DID document for ${String(document.id)}, not ${did}.`,
    )
  }
  return ok(document)
}
