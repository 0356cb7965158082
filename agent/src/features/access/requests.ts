import { isDid } from '@clavis/credentials'
import { ClavisError } from '@clavis/errors'
import { vctFor } from '@clavis/sd-jwt'
import type { AgentContext } from '../../context'
import { hashToken, newOpaqueValue, nowIso } from '../../util/ids'
import { VpRequestEntity, type VpRequestRow } from '../oid4vp/entities'
import { createVpRequest } from '../oid4vp/requests'
import { getOrganisation } from '../organisations/organisations'
import { type AccessState, accessStateOf } from './decision'

/** How long an access request can be answered by the wallet (seconds). */
const REQUEST_TTL = 300
/** Longest emergency reason kept (it goes into the audit trail and is shown to the patient). */
export const MAX_REASON = 500

/**
 * The DCQL query of an access request (OpenID4VP 1.0 §6): the clinician's licence as SD-JWT VC
 * (nothing disclosed: its validity, status and holder are what count) and, unless an emergency,
 * the patient's grant with its audience, scopes and purpose.
 */
export function accessQuery(emergency: boolean): Record<string, unknown> {
  const licence = {
    id: 'licence',
    format: 'dc+sd-jwt',
    meta: { vct_values: [vctFor('ClinicianLicenseCredential')] },
  }
  if (emergency) return { credentials: [licence] }
  return {
    credentials: [
      licence,
      {
        id: 'grant',
        format: 'dc+sd-jwt',
        meta: { vct_values: [vctFor('AccessGrantCredential')] },
        // Every claim of a grant is visible (none selectively disclosable): its `records`, if it
        // limits the grant to single records, is read from what the patient signed.
        claims: [
          { id: 'audience', path: ['audience'] },
          { id: 'scope', path: ['scope'] },
          { id: 'purposeOfUse', path: ['purposeOfUse'] },
        ],
      },
    ],
  }
}

/**
 * A clinician asks a hospital for a patient's records (public: the clinician is not the
 * hospital's staff; who they are is what the presentation proves). The answer is an OpenID4VP
 * request for their licence and the patient's grant — or, declaring an emergency with a reason,
 * for the licence alone — and a secret with which the asker reads the outcome and takes the token.
 */
export async function createAccessRequest(
  ctx: AgentContext,
  input: { organisationId: string; patientDid: string; emergency?: { reason: string } | undefined },
): Promise<{ id: string; requestUri: string; expiresAt: string; secret: string }> {
  const org = await getOrganisation(ctx, input.organisationId)
  if (org.kind !== 'hospital')
    throw new ClavisError({ code: 'forbidden', message: 'Records are kept by hospitals; ask a hospital.' })
  if (!isDid(input.patientDid))
    throw new ClavisError({
      code: 'invalid_request',
      message: 'Name the patient by their DID (the issuer of their grant), e.g. did:ethr:0x7a69:0x02….',
      issues: [{ path: 'patient', code: 'invalid_format', message: 'a DID' }],
    })
  const reason = input.emergency?.reason.trim()
  if (input.emergency && (!reason || reason.length > MAX_REASON))
    throw new ClavisError({
      code: 'invalid_request',
      message: `An emergency needs its reason (1–${MAX_REASON} characters): it is recorded and shown to the patient.`,
      issues: [{ path: 'emergency.reason', code: 'invalid_length', message: `1..${MAX_REASON}` }],
    })
  const secret = newOpaqueValue(32)
  const state: AccessState = { patientDid: input.patientDid, ...(reason ? { emergency: { reason } } : {}) }
  const created = await createVpRequest(ctx, {
    organisationId: org.id,
    dcql: accessQuery(Boolean(reason)),
    ttlSeconds: REQUEST_TTL,
    access: { state: JSON.stringify(state), secretHash: hashToken(secret) },
  })
  return { id: created.id, requestUri: created.requestUri, expiresAt: created.expiresAt, secret }
}

/** An access request of this hospital, read with its secret. */
export async function accessRequestRow(
  ctx: AgentContext,
  input: { organisationId: string; requestId: string; secret: string | undefined },
): Promise<VpRequestRow> {
  const row = await ctx.db
    .getRepository(VpRequestEntity)
    .findOneBy({ id: input.requestId, organisationId: input.organisationId, purpose: 'access' })
  if (!row || !input.secret || row.codeHash !== hashToken(input.secret))
    throw new ClavisError({
      code: 'not_found',
      message: 'No such access request, or not with this secret: use the secret its creation answered.',
    })
  return row
}

/** How an access request stands: waiting for the wallet, decided (permitted or why not), or expired. */
export async function getAccessRequest(
  ctx: AgentContext,
  input: { organisationId: string; requestId: string; secret: string | undefined },
) {
  const row = await accessRequestRow(ctx, input)
  const state = accessStateOf(row)
  const d = state.decision
  const status = d ? 'decided' : row.expiresAt <= nowIso() ? 'expired' : 'pending'
  return {
    id: row.id,
    status,
    emergency: state.emergency !== undefined,
    expiresAt: row.expiresAt,
    ...(d
      ? {
          decision: d.permitted
            ? {
                permitted: true as const,
                clinicianDid: d.clinicianDid,
                patientId: d.patientId!,
                scopes: d.scopes,
                purposeOfUse: d.purposeOfUse,
                checks: d.checks,
                sessionEndsAt: state.sessionEndsAt!,
              }
            : {
                permitted: false as const,
                reason: d.reason,
                message: d.message,
                checks: d.checks,
              },
        }
      : {}),
  }
}
