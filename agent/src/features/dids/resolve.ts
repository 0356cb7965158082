import { didSchema } from '@clavis/api'
import { ClavisError } from '@clavis/errors'
import type { DIDResolutionResult } from 'did-resolver'
import type { AgentContext } from '../../context'

/**
 * Resolves any DID through the agent's resolver. Returns the DID resolution result (DID Core);
 * syntax errors → `invalid_did` (400), unknown methods, networks or DIDs → `unknown_did` (404).
 *
 * @example
 * const { didDocument } = await resolveDid(ctx, 'did:ethr:0x7a69:0x03…')
 */
export async function resolveDid(ctx: AgentContext, did: string): Promise<DIDResolutionResult> {
  if (!didSchema.safeParse(did).success) {
    throw new ClavisError({
      code: 'invalid_did',
      message: `"${did.slice(0, 80)}" is not a DID. A did:ethr looks like did:ethr:0x7a69:0x03…`,
    })
  }
  const result = await ctx.resolver.resolve(did)
  const error = result.didResolutionMetadata.error
  if (!error) return result
  if (error === 'invalidDid') {
    throw new ClavisError({ code: 'invalid_did', message: `"${did}" is not a valid DID for its method.` })
  }
  if (error === 'unsupportedDidMethod' || error === 'notFound' || error === 'unknownNetwork') {
    throw new ClavisError({
      code: 'unknown_did',
      message: `Cannot resolve ${did} (${error}). This agent resolves did:ethr on chain ${ctx.chain.chainId} (did:ethr:0x${ctx.chain.chainId.toString(16)}:…).`,
    })
  }
  throw new ClavisError({
    code: 'chain_unavailable',
    message:
      `Resolution of ${did} failed (${error}): ${String(result.didResolutionMetadata.message ?? '')}`.trim(),
  })
}
