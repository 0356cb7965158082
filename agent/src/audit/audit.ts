import { createWriteStream } from 'node:fs'
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

/**
 * Where every state-changing service reports what it did (and verifiers what they decided). The
 * hash-chained, append-only trail is one implementation to come; today's write to the log.
 * `record` never throws: an audit sink that fails is logged, it does not undo what was done.
 */
export interface AuditPort {
  record(event: AuditEvent): Promise<void>
}

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

/**
 * An audit port appending one JSON line per event to `path` (mode 0600), in order. Not yet the
 * tamper-evident trail (no hash chain, no fsync per event): a readable record of what happened,
 * kept out of the console. `close` flushes it.
 *
 * @example
 * const audit = fileAudit(join(dataDir, 'audit.jsonl'))
 */
export function fileAudit(path: string): AuditPort & { close(): Promise<void> } {
  const out = createWriteStream(path, { flags: 'a', mode: 0o600 })
  let failure: Error | undefined
  out.on('error', (e) => {
    failure = e
  })
  return {
    async record(event) {
      if (failure) throw failure
      out.write(`${JSON.stringify({ at: new Date().toISOString(), ...event })}\n`)
    },
    close: () => new Promise<void>((resolve) => out.end(() => resolve())),
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
