import type { BatchVerificationResponse } from '@clavis/api'
import type { DIDResolutionOptions, DIDResolutionResult } from 'did-resolver'
import { auditedChecks } from '../../audit/audit'
import type { AgentContext } from '../../context'
import { getOrganisation } from '../organisations/organisations'
import { getTrustList } from '../trust/trust'
import { assertChainAnswered } from './verify'

/**
 * What one batch may fetch (cache hits and joined fetches are free): up to 1000 credentials from
 * many trusted issuers, each with its lists; status is fetched only for credentials whose signature
 * verified and whose issuer the verifier trusts.
 */
const BATCH_FETCH_BUDGET = { maxFetches: 256, timeoutMs: 15_000 }

/**
 * Verifies many JWT-VCs for the organisation `verifier` (its trust list) on the verification
 * workers, one per core. Each credential gets the envelope `POST /v1/verify` would give it and fails
 * closed on its own. The batch is one moment: every credential is checked at the same `now`, each
 * DID is resolved once (through the agent's block-aware cache: a change mined before the batch
 * began is seen) and the status lists come from the agent's cache, with one fetch budget for the
 * batch. A chain that does not answer is 503 `chain_unavailable` for the whole batch (nothing was
 * decided); a worker that fails is 500 (nothing is reported valid).
 *
 * @example
 * const { summary, results } = await verifyCredentialBatch(ctx, { verifier: hospitalId, credentials })
 */
export async function verifyCredentialBatch(
  ctx: AgentContext,
  input: { verifier: string; credentials: readonly string[] },
): Promise<BatchVerificationResponse> {
  const org = await getOrganisation(ctx, input.verifier)
  const trust = await getTrustList(ctx, org.id)
  const resolver = ctx.resolver.forVerification()
  const resolutions = new Map<string, Promise<DIDResolutionResult>>()
  const resolve = (didUrl: string, options: DIDResolutionOptions) => {
    const key = `${didUrl}\n${JSON.stringify(options)}`
    let answer = resolutions.get(key)
    if (!answer) {
      answer = resolver.resolve(didUrl, options)
      resolutions.set(key, answer)
    }
    return answer
  }
  const results = await ctx.verifyPool.verify({
    credentials: input.credentials,
    trust,
    now: new Date(),
    resolve,
    status: ctx.status.forRequest(BATCH_FETCH_BUDGET),
  })
  await assertChainAnswered(
    ctx,
    results.map((r) => r.checks),
  )
  let valid = 0
  for (const result of results) {
    if (result.valid) valid++
    await ctx.audit.record({
      kind: 'verification.decided',
      verifier: org.id,
      what: 'credential',
      valid: result.valid,
      checks: auditedChecks(result.checks),
      issuer: result.issuer,
      type: result.type,
    })
  }
  return {
    verifier: org.id,
    summary: { total: results.length, valid, notValid: results.length - valid },
    results,
  }
}
