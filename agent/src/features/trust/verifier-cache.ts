import type { AgentCaches, CachedVerifier } from '../../caches'

export type { CachedVerifier }

/**
 * This agent's cached verifiers, by organisation id.
 *
 * @example
 * const hit = verifierCache(ctx).get(hospitalId)
 */
export function verifierCache(ctx: { caches: AgentCaches }): Map<string, CachedVerifier> {
  return ctx.caches.verifiers
}

/**
 * Forgets a verifier's cached trust list (after it changed in this process).
 *
 * @example
 * forgetVerifier(ctx, hospitalId)
 */
export function forgetVerifier(ctx: { caches: AgentCaches }, id: string): void {
  ctx.caches.verifiers.delete(id)
}
