import type { TrustPolicy } from '@clavis/verify'
import type { CredentialWriter } from './features/issuance/credential-writer'
import type { OrganisationRow } from './features/organisations/entities'
import type { StatusGroupRow } from './features/status/entities'

/** A verifier's organisation row and trust policy, reused until `until` (ms since the epoch). */
export interface CachedVerifier {
  org: OrganisationRow
  trust: TrustPolicy
  until: number
}

/** An issuing organisation's row and open status groups, reused until `until`, and its batch writer. */
export interface CachedIssuer {
  org: OrganisationRow
  groups: Map<string, StatusGroupRow>
  until: number
  writer: CredentialWriter
}

/** A signed status list, kept while its group's version is unchanged and it is fresh. */
export interface RenderedList {
  version: number
  issuedAtMs: number
  jwt: string
}

/**
 * The agent's in-process caches: created once in the composition root, held by the context,
 * cleared by the services that change what they hold. Nothing is module state.
 */
export interface AgentCaches {
  /** Verifiers' trust lists, by organisation id. */
  verifiers: Map<string, CachedVerifier>
  /** Issuers' rows and open status groups, by organisation id. */
  issuers: Map<string, CachedIssuer>
  /** Signed status lists, by `<group>/<name>`. */
  renderedLists: Map<string, RenderedList>
  /** DID operations this process is advancing right now (a request's own, or reconciliation's). */
  advancing: Set<string>
}

/** Empty caches for a new agent. */
export function createCaches(): AgentCaches {
  return { verifiers: new Map(), issuers: new Map(), renderedLists: new Map(), advancing: new Set() }
}
