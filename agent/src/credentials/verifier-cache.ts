import type { TrustPolicy } from '@clavis/verify'
import type { AgentContext } from '../context'
import type { OrganisationRow } from '../db/entities'

/** A verifier's organisation row and trust policy, reused until `until` (ms since the epoch). */
export interface CachedVerifier {
  org: OrganisationRow
  trust: TrustPolicy
  until: number
}

// Kept apart from verify.ts so that trust.ts can clear it without importing verify.ts (which
// imports trust.ts). To become an object made in the composition root, like the other caches.
const verifiers = new WeakMap<AgentContext, Map<string, CachedVerifier>>()

/**
 * This agent's cached verifiers, by organisation id.
 *
 * @example
 * const hit = verifierCache(ctx).get(hospitalId)
 */
export function verifierCache(ctx: AgentContext): Map<string, CachedVerifier> {
  let byId = verifiers.get(ctx)
  if (!byId) {
    byId = new Map()
    verifiers.set(ctx, byId)
  }
  return byId
}

/**
 * Forgets a verifier's cached trust list (after it changed in this process).
 *
 * @example
 * forgetVerifier(ctx, hospitalId)
 */
export function forgetVerifier(ctx: AgentContext, id: string): void {
  verifiers.get(ctx)?.delete(id)
}
