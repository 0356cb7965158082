import { ClavisError } from '@clavis/api'
import {
  type PresentationVerificationResult,
  type TrustPolicy,
  trustListPolicy,
  type VerificationResult,
  verifyJwtCredential,
  verifyPresentation as verifyPresentationEnvelope,
} from '@clavis/verify'
import { auditedChecks } from '../../audit/audit'
import type { AgentContext } from '../../context'
import { OrganisationEntity, type OrganisationRow } from '../organisations/entities'
import { getTrustList } from '../trust/trust'
import { assertRequestSecret } from './nonces'

const NO_VERIFIER: TrustPolicy = { isTrusted: () => false }
/** How long a verifier's organisation row and trust list are reused without a database read. */
const VERIFIER_CACHE_MS = 2000

export async function verifierContext(
  ctx: AgentContext,
  id: string,
): Promise<{ org: OrganisationRow; trust: TrustPolicy }> {
  const byId = ctx.caches.verifiers
  const hit = byId.get(id)
  if (hit && hit.until > Date.now()) return hit
  const org = await verifierOrg(ctx, id)
  const entry = {
    org,
    trust: trustListPolicy(await getTrustList(ctx, org.id)),
    until: Date.now() + VERIFIER_CACHE_MS,
  }
  byId.set(id, entry)
  return entry
}

async function verifierOrg(ctx: AgentContext, id: string): Promise<OrganisationRow> {
  const org = await ctx.db.getRepository(OrganisationEntity).findOneBy({ id })
  if (!org) {
    throw new ClavisError({
      code: 'not_found',
      message: `No verifier organisation "${id}". List organisations with GET /v1/organisations.`,
    })
  }
  return org
}

/**
 * Verifies a JWT-VC against the chain, its status lists and, when `verifier` names an organisation,
 * its trust list. Without a verifier no issuer is trusted, so the result is not valid (fails closed).
 *
 * @example
 * const result = await verifyCredential(ctx, { credential: jwt, verifier: hospitalId })
 */
export async function verifyCredential(
  ctx: AgentContext,
  input: { credential: string; verifier?: string | undefined },
): Promise<VerificationResult & { verifier: string | null }> {
  const trust = input.verifier ? (await verifierContext(ctx, input.verifier)).trust : NO_VERIFIER
  const result = await verifyJwtCredential({
    jwt: input.credential,
    resolver: ctx.resolver.forVerification(),
    trust,
    // One fetch budget per request: at most 8 lists, none still fetching after 5 s.
    status: ctx.status.forRequest(),
  })
  await assertChainAnswered(ctx, [result.checks])
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
  await ctx.audit.record({
    kind: 'verification.decided',
    verifier: input.verifier,
    what: 'credential',
    valid: result.valid,
    checks: auditedChecks(result.checks),
    issuer: result.issuer,
    type: result.type,
  })
  return { ...result, verifier: input.verifier ?? null }
}

/**
 * Verifies a presentation made for `verifier` with the nonce it issued: a JWT VP of JWT-VCs, or an
 * SD-JWT VC with key binding. The audience must be the verifier's DID; the nonce is single-use and
 * is only used with the request's secret (`invalid_request_secret` otherwise).
 *
 * @example
 * const result = await verifyPresentation(ctx, { presentation, verifier: hospitalId, nonce, requestSecret })
 */
export async function verifyPresentation(
  ctx: AgentContext,
  input: { presentation: string; verifier: string; nonce: string; requestSecret: string },
): Promise<PresentationVerificationResult> {
  const { org, trust } = await verifierContext(ctx, input.verifier)
  await assertRequestSecret(ctx, {
    organisationId: org.id,
    nonce: input.nonce,
    requestSecret: input.requestSecret,
  })
  const common = {
    resolver: ctx.resolver.forVerification(),
    trust,
    status: ctx.status.forRequest(),
    nonces: ctx.nonces,
    expect: { nonce: input.nonce, audience: org.did },
  }
  const result = await verifyPresentationEnvelope({ presentation: input.presentation.trim(), ...common })
  await assertChainAnswered(ctx, [result.checks, ...result.credentials.map((c) => c.checks)])
  await ctx.audit.record({
    kind: 'verification.decided',
    verifier: org.id,
    what: 'presentation',
    valid: result.valid,
    checks: auditedChecks(result.checks),
  })
  return result
}

/**
 * A DID that could not be resolved because the chain is down says nothing about the credential:
 * answer 503 `chain_unavailable` (retry) rather than "not valid", which would turn away a genuine
 * clinician. The chain is probed only when a resolution failed.
 *
 * @example
 * await assertChainAnswered(ctx, [result.checks])
 */
export async function assertChainAnswered(
  ctx: AgentContext,
  checks: Record<string, { passed: boolean; code?: string }>[],
): Promise<void> {
  const unresolved = checks.some((c) =>
    Object.values(c).some((r) => !r.passed && r.code === 'did_not_resolved'),
  )
  if (unresolved && !(await ctx.chain.reachable())) {
    throw new ClavisError({
      code: 'chain_unavailable',
      message:
        'The chain does not answer, so the issuer or holder DID could not be resolved. Nothing was decided; retry shortly.',
    })
  }
}
