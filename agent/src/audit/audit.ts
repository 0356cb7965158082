import type { EntityManager } from 'typeorm'
import type { Logger } from '../util/log'

/** The outcome of one check of a verification, as audited: never a claim value. */
export interface AuditedCheck {
  passed: boolean
  code?: string
}

/**
 * Something that changed state or decided something, as the audit trail records it. Identifiers
 * only (organisation ids, DIDs, credential ids, types, codes): never claim values, tokens or keys.
 */
export type AuditEvent =
  | { kind: 'organisation.created'; organisationId: string; did: string; organisationKind: string }
  | { kind: 'organisation.token_reset'; organisationId: string }
  | {
      kind: 'credential.issued'
      organisationId: string
      credentialId: string
      type: string
      format: string
      subjectDid: string
    }
  | {
      kind: 'credential.status_changed'
      organisationId: string
      credentialId: string
      action: 'revoke' | 'suspend' | 'reinstate'
      status: string
    }
  | { kind: 'trust.added'; organisationId: string; issuer: string; types: readonly string[] }
  | { kind: 'trust.removed'; organisationId: string; issuer: string; types: readonly string[] }
  | {
      kind: 'did.changed'
      organisationId: string
      operation: string
      operationId: string
    }
  | { kind: 'status_list.uploaded'; did: string; name: string }
  | { kind: 'offer.created'; organisationId: string; offerId: string; type: string; configurations: string[] }
  | {
      kind: 'offer.redeemed' | 'offer.locked'
      organisationId: string
      offerId: string
    }
  | {
      kind: 'verification.decided'
      /** The organisation whose trust list decided; undefined for anonymous verification. */
      verifier: string | undefined
      what: 'credential' | 'presentation'
      valid: boolean
      checks: Record<string, AuditedCheck>
      issuer?: string | undefined
      type?: string | undefined
    }
  | {
      kind: 'patient.registered'
      organisationId: string
      patientId: string
    }
  | {
      kind: 'patient.linked'
      organisationId: string
      patientId: string
      patientDid: string
    }
  | {
      kind: 'records.stored'
      organisationId: string
      patientId: string
      /** `Type/id` of each resource stored (never their contents). */
      resources: readonly string[]
    }
  | {
      /** A record-access decision (DESIGN §6): licence + grant, or a declared emergency. */
      kind: 'access.decided'
      organisationId: string
      clinicianDid: string | undefined
      patientId: string | undefined
      permitted: boolean
      /** Why not, as a stable code (e.g. `grant_revoked`), when refused. */
      reason?: string | undefined
      checks: Record<string, AuditedCheck>
      licenceId?: string | undefined
      grantId?: string | undefined
      purposeOfUse: string
      breakGlass: boolean
    }
  | {
      kind: 'access.token_issued'
      organisationId: string
      /** The token's id (`jti`), never the token. */
      tokenId: string
      clinicianDid: string
      patientId: string
      scopes: readonly string[]
      expiresAt: string
      purposeOfUse: string
      breakGlass: boolean
    }
  | {
      /** A clinician declared an emergency to open a patient's records without a grant (PurposeOfUse BTG). */
      kind: 'access.break_glass'
      organisationId: string
      clinicianDid: string
      patientId: string
      /** The access request the emergency was declared in. */
      requestId: string
      /** The clinician's stated reason (free text they wrote for the audit, at most 500 characters). */
      reason: string
      expiresAt: string
    }
  | {
      /** Records read through the FHIR API: types and ids, never contents. */
      kind: 'record.read'
      organisationId: string
      tokenId: string
      clinicianDid: string
      patientId: string
      interaction: 'read' | 'search'
      resourceType: string
      /** `Type/id` of each resource returned. */
      resources: readonly string[]
      /** A search's parameter names (never their values). */
      parameters?: readonly string[] | undefined
      purposeOfUse: string
      breakGlass: boolean
    }
  | {
      /** A request to the FHIR API refused (no token, expired, another presenter, out of scope…). */
      kind: 'record.refused'
      organisationId: string
      tokenId?: string | undefined
      clinicianDid?: string | undefined
      patientId?: string | undefined
      resourceType?: string | undefined
      reason: string
    }
  | {
      /** An encrypted grant left in a clinician's inbox (the agent cannot read it). */
      kind: 'grant.delivered'
      organisationId: string
      recipientDid: string
      messageId: string
    }
  | {
      /** A patient read their access report (after proving control of their DID). */
      kind: 'access_report.read'
      organisationId: string
      patientId: string
    }

/**
 * Where every state-changing service reports what it did (and verifiers what they decided): the
 * hash-chained trail in the database (`trail.ts`), or a test's memory. Wrapped in
 * {@link failSafeAudit} where what is reported has already happened.
 */
export interface AuditPort {
  record(event: AuditEvent): Promise<void>
  /**
   * Appends inside the caller's transaction, so that a change and its record commit together (one
   * commit instead of two); the trail in the database has it.
   */
  recordIn?(manager: EntityManager, event: AuditEvent): Promise<void>
}

/** The trail itself: appends throw when they cannot be made, and can join a caller's transaction. */
export type TrailPort = Required<AuditPort>

/** Only pass/fail and code of each check: reasons may quote input. */
export function auditedChecks(
  checks: Record<string, { passed: boolean; code?: string | undefined }>,
): Record<string, AuditedCheck> {
  const out: Record<string, AuditedCheck> = {}
  for (const [name, c] of Object.entries(checks))
    out[name] = c.code ? { passed: c.passed, code: c.code } : { passed: c.passed }
  return out
}

/** An audit port writing one `audit` line per event to the log. */
export function logAudit(log: Logger): AuditPort {
  return {
    async record(event) {
      log.info('audit', { at: new Date().toISOString(), ...event })
    },
  }
}

/** An audit port that keeps events in memory (tests; a process that wants to look). */
export function memoryAudit(): AuditPort & { events: (AuditEvent & { at: string })[] } {
  const events: (AuditEvent & { at: string })[] = []
  return {
    events,
    async record(event) {
      events.push({ ...event, at: new Date().toISOString() })
    },
  }
}

/**
 * Wraps a port so that its failures are logged, never thrown: what the audit reports has already
 * happened and been acknowledged.
 */
export function failSafeAudit(port: AuditPort, log: Logger): AuditPort {
  return {
    async record(event) {
      try {
        await port.record(event)
      } catch (e) {
        log.error('audit event not recorded', { kind: event.kind, error: (e as Error).message })
      }
    },
  }
}
