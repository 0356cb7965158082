/**
 * The hospital desk's audit trail as people read it: a label per kind, who, which patient, and the
 * details an entry holds (identifiers and codes only — the trail keeps no claim values). Plain
 * strings; the desk renders them as text.
 */

/** An audit entry as `listAudit` answers it. */
export interface AuditEntryView {
  seq: number
  at: string
  kind: string
  event: Record<string, unknown>
}

/** The desk's filter of the trail: one kind (or all, ''), one patient id (or all, ''). */
export interface AuditFilter {
  kind: string
  patient: string
}

/** How an entry should stand out: an emergency, a refusal or failure, or neither. */
export type AuditTone = 'alarm' | 'bad' | 'plain'

/** The kinds of entry an organisation's trail holds, with the label the desk shows (filter options). */
export const AUDIT_KINDS: Readonly<Record<string, string>> = Object.freeze({
  'access.break_glass': 'EMERGENCY ACCESS',
  'access.decided': 'Access decision',
  'access.token_issued': 'Access token issued',
  'record.read': 'Record read',
  'record.refused': 'Record request refused',
  'access_report.read': 'Access report read by the patient',
  'patient.registered': 'Patient registered',
  'patient.linked': 'Patient’s wallet linked',
  'records.stored': 'Records stored',
  'grant.delivered': 'Grant delivered to a clinician',
  'offer.created': 'Credential offered',
  'offer.redeemed': 'Offer redeemed',
  'offer.locked': 'Offer locked (wrong codes)',
  'credential.issued': 'Credential issued',
  'credential.status_changed': 'Credential status changed',
  'verification.decided': 'Verification',
  'trust.added': 'Issuer trusted',
  'trust.removed': 'Issuer no longer trusted',
  'did.changed': 'DID changed',
  'status_list.uploaded': 'Status list uploaded',
  'organisation.created': 'Organisation created',
  'organisation.token_reset': 'Staff token reset',
})

/** PurposeOfUse codes (HL7 v3 ActReason) the grants and emergencies use. */
const PURPOSES: Readonly<Record<string, string>> = {
  TREAT: 'treatment',
  ETREAT: 'emergency treatment',
  BTG: 'break the glass (emergency)',
  CAREMGT: 'care management',
  PATRQT: 'patient request',
  HPAYMT: 'payment',
  HOPERAT: 'operations',
  HRESCH: 'research',
  PUBHLTH: 'public health',
}

const str = (event: Record<string, unknown>, key: string): string | undefined => {
  const value = event[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}
const strings = (event: Record<string, unknown>, key: string): string[] => {
  const value = event[key]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/**
 * The label of one entry: its kind's, except access decisions (permitted or refused).
 *
 * @example
 * entryLabel({ kind: 'access.decided', event: { permitted: false } }) // 'Access refused'
 */
export function entryLabel(entry: Pick<AuditEntryView, 'kind' | 'event'>): string {
  if (entry.kind === 'access.decided')
    return entry.event.permitted === true ? 'Access permitted' : 'Access refused'
  return AUDIT_KINDS[entry.kind] ?? entry.kind
}

/**
 * How the entry stands out: emergencies are `alarm`; refusals, locks and failed checks `bad`.
 *
 * @example
 * entryTone({ kind: 'record.refused', event: {} }) // 'bad'
 */
export function entryTone(entry: Pick<AuditEntryView, 'kind' | 'event'>): AuditTone {
  const { kind, event } = entry
  if (kind === 'access.break_glass') return 'alarm'
  if (kind === 'record.refused' || kind === 'offer.locked') return 'bad'
  if (kind === 'access.decided' && event.permitted !== true) return 'bad'
  if (kind === 'verification.decided' && event.valid !== true) return 'bad'
  return 'plain'
}

/** Whether the entry happened under an emergency (break-glass) access. */
export function isBreakGlass(entry: Pick<AuditEntryView, 'kind' | 'event'>): boolean {
  return entry.kind === 'access.break_glass' || entry.event.breakGlass === true
}

/** The clinician (or other person's DID) who acted, when the entry names one. */
export function entryActor(entry: Pick<AuditEntryView, 'event'>): string | undefined {
  return str(entry.event, 'clinicianDid') ?? str(entry.event, 'recipientDid')
}

/** The hospital's patient id the entry is about, if any. */
export function entryPatient(entry: Pick<AuditEntryView, 'event'>): string | undefined {
  return str(entry.event, 'patientId')
}

/**
 * A purpose of use for people: `Treatment (TREAT)`.
 *
 * @example
 * purposeLabel('BTG') // 'break the glass (emergency) (BTG)'
 */
export function purposeLabel(code: string): string {
  const label = PURPOSES[code]
  return label ? `${label} (${code})` : code
}

/**
 * An identifier or hash short enough for a table cell: its start and end.
 *
 * @example
 * shortId('did:ethr:0x0123456789abcdef0123456789abcdef01234567') // 'did:ethr:0x0123…234567'
 */
export function shortId(id: string, o: { head?: number; tail?: number } = {}): string {
  const head = o.head ?? 15
  const tail = o.tail ?? 6
  return id.length <= head + tail + 1 ? id : `${id.slice(0, head)}…${id.slice(-tail)}`
}

/**
 * `Type/id` references counted by type: `Observation ×3, Condition ×1`.
 *
 * @example
 * countByType(['Observation/a', 'Observation/b', 'Condition/c']) // 'Observation ×2, Condition ×1'
 */
export function countByType(references: readonly string[]): string {
  const counts = new Map<string, number>()
  for (const ref of references) {
    const type = ref.split('/')[0] || ref
    counts.set(type, (counts.get(type) ?? 0) + 1)
  }
  return [...counts].map(([type, n]) => `${type} ×${n}`).join(', ')
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** Names of the checks that failed, with their codes: `grantStatus (grant_revoked)`. */
function failedChecks(event: Record<string, unknown>): string | undefined {
  const checks = event.checks
  if (!checks || typeof checks !== 'object') return undefined
  const failed = Object.entries(checks as Record<string, { passed?: unknown; code?: unknown }>)
    .filter(([, c]) => c?.passed === false)
    .map(([name, c]) => (typeof c.code === 'string' ? `${name} (${c.code})` : name))
  return failed.length > 0 ? `Failed: ${failed.join(', ')}` : undefined
}

/**
 * What else the entry says, as short facts: resource types and counts, the refusal's reason code,
 * the purpose of use, the emergency's stated reason, scopes. Times go through `time` (default the
 * browser's locale).
 *
 * @example
 * entryDetails({ kind: 'record.refused', event: { reason: 'insufficient_scope', resourceType: 'Condition' } })
 * // ['Reason: insufficient_scope', 'Type: Condition']
 */
export function entryDetails(
  entry: Pick<AuditEntryView, 'kind' | 'event'>,
  time: (iso: string) => string = (iso) => new Date(iso).toLocaleString(),
): string[] {
  const e = entry.event
  const out: (string | undefined)[] = []
  const purpose = str(e, 'purposeOfUse')
  const purposeFact = purpose ? `Purpose: ${purposeLabel(purpose)}` : undefined
  const until = str(e, 'expiresAt')
  switch (entry.kind) {
    case 'record.read': {
      const resources = strings(e, 'resources')
      const type = str(e, 'resourceType') ?? ''
      out.push(
        e.interaction === 'search'
          ? `Searched ${type}: ${plural(resources.length, 'resource')}${resources.length ? ` (${countByType(resources)})` : ''}`
          : resources.length === 1
            ? `Read ${resources[0]}`
            : `Read ${plural(resources.length, 'resource')} (${countByType(resources)})`,
      )
      const parameters = strings(e, 'parameters')
      if (parameters.length) out.push(`Searched by ${parameters.join(', ')}`)
      out.push(purposeFact)
      break
    }
    case 'record.refused':
      out.push(
        `Reason: ${str(e, 'reason') ?? 'not given'}`,
        str(e, 'resourceType') && `Type: ${e.resourceType}`,
      )
      break
    case 'access.decided':
      if (e.permitted !== true) out.push(`Reason: ${str(e, 'reason') ?? 'not given'}`, failedChecks(e))
      out.push(purposeFact)
      break
    case 'access.token_issued': {
      const scopes = strings(e, 'scopes')
      out.push(scopes.length ? `Scopes: ${scopes.join(' ')}` : undefined, purposeFact)
      if (until) out.push(`Until ${time(until)}`)
      break
    }
    case 'access.break_glass':
      out.push(`Stated reason: “${str(e, 'reason') ?? ''}”`, until && `Until ${time(until)}`)
      break
    case 'records.stored': {
      const resources = strings(e, 'resources')
      out.push(
        `${plural(resources.length, 'resource')}${resources.length ? ` (${countByType(resources)})` : ''}`,
      )
      break
    }
    case 'patient.linked':
      out.push(str(e, 'patientDid') && `Wallet DID ${shortId(str(e, 'patientDid')!)}`)
      break
    case 'credential.issued':
      out.push(str(e, 'type'), str(e, 'format') && `Format ${e.format}`)
      break
    case 'credential.status_changed':
      out.push(`${str(e, 'action') ?? 'change'} → ${str(e, 'status') ?? '?'}`)
      break
    case 'offer.created':
      out.push(str(e, 'type'))
      break
    case 'verification.decided':
      out.push(
        `${e.what === 'presentation' ? 'Presentation' : 'Credential'} ${e.valid === true ? 'valid' : 'NOT valid'}`,
        str(e, 'type'),
        failedChecks(e),
      )
      break
    case 'trust.added':
    case 'trust.removed':
      out.push(
        str(e, 'issuer') && `Issuer ${shortId(str(e, 'issuer')!)}`,
        strings(e, 'types').join(', ') || undefined,
      )
      break
    case 'did.changed':
      out.push(str(e, 'operation'))
      break
    case 'status_list.uploaded':
      out.push(str(e, 'name'))
      break
  }
  return out.filter((fact): fact is string => typeof fact === 'string' && fact !== '')
}

/** A break-glass access as the desk's alert lists it. */
export interface BreakGlassAlert {
  seq: number
  at: string
  clinicianDid: string
  patientId: string
  reason: string
  until: string | undefined
}

/**
 * The `access.break_glass` entries of the last `hours` (default 24) before `now`, newest first.
 *
 * @example
 * recentBreakGlass(entries, new Date()) // [{ seq: 41, clinicianDid: 'did:…', reason: 'unconscious', … }]
 */
export function recentBreakGlass(
  entries: readonly AuditEntryView[],
  now: Date,
  hours = 24,
): BreakGlassAlert[] {
  const since = now.getTime() - hours * 3_600_000
  return entries
    .filter((e) => e.kind === 'access.break_glass' && Date.parse(e.at) >= since)
    .sort((a, b) => b.seq - a.seq)
    .map((e) => ({
      seq: e.seq,
      at: e.at,
      clinicianDid: str(e.event, 'clinicianDid') ?? 'unknown',
      patientId: str(e.event, 'patientId') ?? 'unknown',
      reason: str(e.event, 'reason') ?? '',
      until: str(e.event, 'expiresAt'),
    }))
}
