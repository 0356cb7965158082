import type { DIDResolutionResult, Resolvable } from 'did-resolver'
import type { CheckFailure } from './types'

/** The outcome of {@link resolveIssuer}: the issuer's current, active DID resolution result, or why not. */
export type ResolveIssuerResult =
  | { ok: true; resolution: DIDResolutionResult }
  | { ok: false; failure: CheckFailure }

const fail = (code: CheckFailure['code'], reason: string): { ok: false; failure: CheckFailure } => ({
  ok: false,
  failure: { passed: false, code, reason },
})

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/**
 * Resolves the issuer DID once and checks the result: a resolver that throws, reports an error,
 * returns no document, or returns a document for another DID gives `did_not_resolved`; a document
 * whose metadata says `deactivated` gives `did_deactivated`. Never throws.
 *
 * @example
 * const result = await resolveIssuer({ did: 'did:ethr:0x…', resolver })
 * if (!result.ok) console.log(result.failure.code)
 */
export async function resolveIssuer(options: {
  did: string
  resolver: Resolvable
}): Promise<ResolveIssuerResult> {
  const { did, resolver } = options
  let resolution: DIDResolutionResult
  try {
    resolution = await resolver.resolve(did, { accept: 'application/did+json' })
  } catch (error) {
    return fail('did_not_resolved', `Resolving the issuer DID ${did} failed: ${describe(error)}.`)
  }
  if (typeof resolution !== 'object' || resolution === null || !('didDocument' in resolution)) {
    return fail('did_not_resolved', `The resolver returned no DID resolution result for ${did}.`)
  }
  const error = resolution.didResolutionMetadata?.error
  if (error !== undefined) {
    const message = resolution.didResolutionMetadata?.message
    const detail = typeof message === 'string' && message.length > 0 ? ` (${message})` : ''
    return fail('did_not_resolved', `The issuer DID ${did} could not be resolved: ${String(error)}${detail}.`)
  }
  if (resolution.didDocumentMetadata?.deactivated === true) {
    return fail(
      'did_deactivated',
      `The issuer DID ${did} is deactivated; its credentials are no longer valid.`,
    )
  }
  const document = resolution.didDocument
  if (typeof document !== 'object' || document === null) {
    return fail('did_not_resolved', `The resolver returned no DID document for ${did}.`)
  }
  if (document.id !== did) {
    return fail(
      'did_not_resolved',
      `The resolver returned a DID document for ${String(document.id)}, not ${did}.`,
    )
  }
  return { ok: true, resolution }
}
