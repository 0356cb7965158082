import type { CredentialType } from '@clavis/credentials'

/** One trusted issuer and the credential types it may issue. */
export interface TrustEntry {
  /** The issuer DID, compared exactly with the credential's `iss`. */
  issuer: string
  /** The credential types this issuer is trusted for. */
  types: readonly CredentialType[]
}

/** Decides whether an issuer is trusted for a credential type. */
export interface TrustPolicy {
  /** True if `issuer` may issue credentials of `type`. Must not throw; a throw counts as untrusted. */
  isTrusted(options: { issuer: string; type: CredentialType }): boolean
}

/**
 * A trust policy from a fixed list: an issuer is trusted for exactly the types listed for it.
 * DIDs are compared exactly (no case folding). The entries are copied, so later changes to the
 * array do not change the policy.
 *
 * @example
 * const trust = trustListPolicy([{ issuer: 'did:ethr:0x…', types: ['ClinicianLicenseCredential'] }])
 * trust.isTrusted({ issuer: 'did:ethr:0x…', type: 'ClinicianLicenseCredential' }) // true
 */
export function trustListPolicy(entries: readonly TrustEntry[]): TrustPolicy {
  const table = new Map<string, Set<CredentialType>>()
  for (const { issuer, types } of entries) {
    const allowed = table.get(issuer) ?? new Set<CredentialType>()
    for (const type of types) allowed.add(type)
    table.set(issuer, allowed)
  }
  return {
    isTrusted: ({ issuer, type }) => table.get(issuer)?.has(type) ?? false,
  }
}
