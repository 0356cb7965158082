import { ClavisError } from '@clavis/api'
import {
  type TrustPolicy,
  trustListPolicy,
  type VerificationResult,
  verifyJwtCredential,
} from '@clavis/verify'
import type { AgentContext } from '../context'
import { OrganisationEntity } from '../db/entities'
import { getTrustList } from './trust'

const NO_VERIFIER: TrustPolicy = { isTrusted: () => false }

/**
 * Verifies a JWT-VC against the chain and, when `verifier` names an organisation, its trust list.
 * Without a verifier no issuer is trusted, so the result is not valid (fails closed).
 *
 * @example
 * const result = await verifyCredential(ctx, { credential: jwt, verifier: hospitalId })
 */
export async function verifyCredential(
  ctx: AgentContext,
  input: { credential: string; verifier?: string | undefined },
): Promise<VerificationResult & { verifier: string | null }> {
  let trust = NO_VERIFIER
  if (input.verifier) {
    const org = await ctx.db.getRepository(OrganisationEntity).findOneBy({ id: input.verifier })
    if (!org) {
      throw new ClavisError({
        code: 'not_found',
        message: `No verifier organisation "${input.verifier}". List organisations with GET /v1/organisations.`,
      })
    }
    trust = trustListPolicy(await getTrustList(ctx, org.id))
  }
  const result = await verifyJwtCredential({ jwt: input.credential, resolver: ctx.resolver, trust })
  if (
    !input.verifier &&
    !result.checks.issuerTrust.passed &&
    result.checks.issuerTrust.code === 'untrusted_issuer'
  ) {
    result.checks.issuerTrust = {
      passed: false,
      code: 'untrusted_issuer',
      reason:
        'No verifier named, so no issuer is trusted: pass the id of the organisation whose trust list applies.',
    }
  }
  return { ...result, verifier: input.verifier ?? null }
}
