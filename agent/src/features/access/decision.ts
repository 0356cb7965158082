import { parseBase64urlJson } from '@clavis/crypto'
import type { TrustPolicy } from '@clavis/verify'
import { type AuditEvent, auditedChecks } from '../../audit/audit'
import type { AgentContext } from '../../context'
import { nowIso } from '../../util/ids'
import { VpRequestEntity, type VpRequestRow } from '../oid4vp/entities'
import { getOrganisation } from '../organisations/organisations'
import { patientByDid } from '../records/patients'
import type { StatusReference } from './entities'
import { type AccessDecision, decideAccess } from './policy'

// The decision on an answered access request (called by the OpenID4VP response endpoint), apart
// from the asking (requests.ts) so that the verifier's module does not import the asker's.

/** What an access request keeps (the `access` JSON of its OpenID4VP request row). */
export interface AccessState {
  patientDid: string
  emergency?: { reason: string }
  decision?: AccessDecision & { patientId?: string; decidedAt: string }
  /** The presented credentials' status references, read again for every token. */
  statusRefs?: StatusReference[]
  /** When the access session ends (tokens are renewed until then while nothing was revoked). */
  sessionEndsAt?: string
  /** An emergency is recorded as such when its first token is taken (by the key that presented). */
  breakGlassRecorded?: boolean
}

export const accessStateOf = (row: VpRequestRow): AccessState => JSON.parse(row.access ?? '{}') as AccessState

/**
 * The trust an access request's presentations are verified with: licences from the boards the
 * hospital trusts (its trust list), grants only from the DID of the patient asked for — when the
 * hospital registered that DID as a patient's.
 */
export async function accessTrust(
  ctx: AgentContext,
  row: VpRequestRow,
  trustList: TrustPolicy,
): Promise<TrustPolicy> {
  const { patientDid } = accessStateOf(row)
  const patient = await patientByDid(ctx, { organisationId: row.organisationId, did: patientDid })
  return {
    isTrusted: ({ issuer, type }) =>
      type === 'AccessGrantCredential'
        ? patient !== undefined && issuer === patientDid
        : type === 'ClinicianLicenseCredential' && trustList.isTrusted({ issuer, type }),
  }
}

/** What the issuer signed in an SD-JWT VC presentation (its first part). */
function issuerSigned(presentation: unknown): Record<string, unknown> | undefined {
  if (typeof presentation !== 'string') return undefined
  const jwt = presentation.split('~')[0] ?? ''
  return parseBase64urlJson(jwt.split('.')[1] ?? '') as Record<string, unknown> | undefined
}

/** The status reference an SD-JWT VC presentation's issuer-signed JWT carries. */
function statusRefOf(
  presentation: unknown,
  credentialId: string | undefined,
  role: StatusReference['role'],
): StatusReference | undefined {
  if (typeof presentation !== 'string') return undefined
  const jwt = presentation.split('~')[0] ?? ''
  const payload = parseBase64urlJson(jwt.split('.')[1] ?? '') as
    | { iss?: unknown; status?: unknown }
    | undefined
  if (typeof payload?.iss !== 'string' || payload.status === undefined) return undefined
  return {
    role,
    credentialId: credentialId ?? '',
    issuer: payload.iss,
    format: 'dc+sd-jwt',
    status: payload.status,
  }
}

/** How long an access session lasts (tokens are renewed within it); an emergency's is shorter. */
const SESSION_MS = { grant: 15 * 60_000, emergency: 10 * 60_000 }

/**
 * Decides an answered access request with the policy of DESIGN §6 (`decideAccess`), records the
 * decision in the audit trail (every check, never a claim value) and keeps it for the asker.
 */
export async function decideAccessRequest(
  ctx: AgentContext,
  row: VpRequestRow,
  result: Parameters<typeof decideAccess>[0]['result'],
  presentations: Record<string, unknown[]>,
): Promise<AccessDecision> {
  const state = accessStateOf(row)
  const org = await getOrganisation(ctx, row.organisationId)
  const patient = await patientByDid(ctx, { organisationId: org.id, did: state.patientDid })
  const emergency = state.emergency !== undefined
  const signedGrant = emergency ? undefined : issuerSigned(presentations.grant?.[0])
  const decision = decideAccess({
    result,
    hospitalDid: org.did,
    patient: patient?.did ? { id: patient.id, did: patient.did } : undefined,
    emergency,
    grantSigned: signedGrant && {
      records: signedGrant.records,
      hidesClaims: Array.isArray(signedGrant._sd) && signedGrant._sd.length > 0,
    },
  })
  // The patient's report lists refusals of clinicians (a bound, valid licence from a trusted
  // board), not what strangers sent: anyone may answer a public access request.
  const reportedPatient = decision.permitted || decision.genuine ? patient?.id : undefined
  const licence = result.presentations.licence?.[0]?.credentials[0]
  const grant = result.presentations.grant?.[0]?.credentials[0]
  const statusRefs = [
    statusRefOf(presentations.licence?.[0], licence?.id, 'licence'),
    ...(emergency ? [] : [statusRefOf(presentations.grant?.[0], grant?.id, 'grant')]),
  ].filter((r): r is StatusReference => r !== undefined)
  const validUntil = [licence?.validUntil, emergency ? undefined : grant?.validUntil]
    .filter((t): t is string => typeof t === 'string')
    .map((t) => Date.parse(t))
  const sessionEndsAt = new Date(
    Math.min(Date.now() + (emergency ? SESSION_MS.emergency : SESSION_MS.grant), ...validUntil),
  ).toISOString()
  const next: AccessState = {
    ...state,
    decision: {
      ...decision,
      ...(patient && decision.permitted ? { patientId: patient.id } : {}),
      decidedAt: nowIso(),
    },
    statusRefs,
    sessionEndsAt,
  }
  // The decision and its record in the trail commit together: recorded, or not made (the request
  // then stays open).
  const decided: AuditEvent = {
    kind: 'access.decided',
    organisationId: org.id,
    clinicianDid: decision.clinicianDid,
    patientId: reportedPatient,
    permitted: decision.permitted,
    ...(decision.permitted ? {} : { reason: decision.reason }),
    checks: auditedChecks(
      Object.fromEntries(
        Object.entries(decision.checks).map(([k, v]) => [k, v.code ? { passed: v.passed, code: v.code } : v]),
      ),
    ),
    licenceId: licence?.id,
    grantId: emergency ? undefined : grant?.id,
    purposeOfUse: decision.permitted ? decision.purposeOfUse : emergency ? 'BTG' : 'TREAT',
    breakGlass: emergency,
  }
  await ctx.db.transaction(async (m) => {
    await m
      .getRepository(VpRequestEntity)
      .update({ id: row.id }, { result: JSON.stringify(result), access: JSON.stringify(next) })
    await ctx.trail.recordIn(m, decided)
  })
  return decision
}
