import { sha256 } from '@clavis/crypto'
import { publicJwkOfDid } from '@clavis/did'
import { ClavisError } from '@clavis/errors'
import { calculateJwkThumbprint, HashAlgorithm, type Jwk } from '@openid4vc/oauth2'
import type { AgentContext } from '../../context'
import { hashToken, newId, newOpaqueValue, nowIso } from '../../util/ids'
import { VpRequestEntity } from '../oid4vp/entities'
import { type AccessState, accessStateOf } from './decision'
import type { DpopVerifier } from './dpop'
import { AccessTokenEntity, type AccessTokenRow, type StatusReference } from './entities'
import type { AccessRefusal } from './policy'
import { accessRequestRow } from './requests'

/**
 * How long an access token lives (seconds): no longer than the shortest status-list ttl involved
 * (a board's lists say 30 s; a patient's grant list 60 s), so a revocation stops access within one
 * ttl whichever way it is seen. Within the access session the holder renews it (`takeAccessToken`
 * again), which reads the licence's and grant's status again first.
 */
export const TOKEN_TTL_S = 30

/** The RFC 7638 thumbprint of the key a DID shows (its holder's), which DPoP proofs must be signed with. */
export async function jktOfDid(did: string): Promise<string | undefined> {
  const jwk = publicJwkOfDid(did)
  if (!jwk) return undefined
  return calculateJwkThumbprint({
    jwk: jwk as Jwk,
    hashAlgorithm: HashAlgorithm.Sha256,
    hashCallback: (data) => sha256(data),
  })
}

/** Reads each credential's status again (through the ttl cache): the refusal, if one was revoked or suspended. */
export async function statusRefusal(
  ctx: AgentContext,
  refs: readonly StatusReference[],
): Promise<AccessRefusal | undefined> {
  const status = ctx.status.forRequest()
  for (const ref of refs) {
    const outcome =
      ref.format === 'dc+sd-jwt'
        ? await status.checkToken({ issuer: ref.issuer, status: ref.status, now: new Date() })
        : await status.checkBitstring({ issuer: ref.issuer, credentialStatus: ref.status, now: new Date() })
    if (outcome.ok) continue
    const code = outcome.error.code
    if (ref.role === 'licence')
      return code === 'suspended'
        ? 'licence_suspended'
        : code === 'revoked'
          ? 'licence_revoked'
          : 'licence_invalid'
    return code === 'revoked' || code === 'suspended' ? 'grant_revoked' : 'grant_invalid'
  }
  return undefined
}

export interface AccessTokenResponse {
  access_token: string
  token_type: 'DPoP'
  expires_in: number
  scope: string
  /** SMART launch context: the FHIR Patient id the token opens. */
  patient: string
  purpose_of_use: string
  /** Until when the token can be renewed without presenting again. */
  session_ends_at: string
}

const denied = (reason: AccessRefusal | string, message: string) =>
  new ClavisError({ code: 'access_denied', message, issues: [{ path: 'access', code: reason, message }] })

/**
 * Gives the asker of a permitted access request a token (RFC 9449 DPoP-bound to the presenter's
 * key: the proof must be signed by the key of the DID that presented), or renews it within the
 * session. Each time, the licence's and grant's status are read again: revoked or suspended → no
 * token, and the reason. An emergency's token is recorded as break-glass.
 */
export async function takeAccessToken(
  ctx: AgentContext,
  verifyDpop: DpopVerifier,
  input: {
    organisationId: string
    requestId: string
    secret: string | undefined
    dpop: string | undefined
    url: string
  },
): Promise<AccessTokenResponse> {
  const row = await accessRequestRow(ctx, input)
  const state: AccessState = accessStateOf(row)
  const decision = state.decision
  if (!decision) throw denied('pending', 'The wallet has not answered this access request yet.')
  if (!decision.permitted) throw denied(decision.reason, decision.message)
  const jkt = await jktOfDid(decision.clinicianDid)
  if (!jkt)
    throw denied(
      'presentation_invalid',
      'The presenter’s DID does not show its key; present from a Clavis wallet.',
    )
  await verifyDpop({ proof: input.dpop, method: 'POST', url: input.url, expectedJkt: jkt })
  if (!state.sessionEndsAt || state.sessionEndsAt <= nowIso())
    throw denied('session_ended', 'This access session has ended: ask for access again.')
  const kind = state.emergency ? 'break_glass' : 'grant'
  const refusal = await statusRefusal(ctx, state.statusRefs ?? [])
  const patientId = decision.patientId!
  if (refusal) {
    await ctx.audit.record({
      kind: 'access.decided',
      organisationId: row.organisationId,
      clinicianDid: decision.clinicianDid,
      patientId,
      permitted: false,
      reason: refusal,
      checks: { status: { passed: false, code: refusal } },
      licenceId: decision.licenceId,
      grantId: decision.grantId,
      purposeOfUse: decision.purposeOfUse,
      breakGlass: kind === 'break_glass',
    })
    throw denied(refusal, `No token: ${refusal.replace('_', ' ')} since access was granted.`)
  }
  const token = `cat_${newOpaqueValue(32)}`
  const expiresAt = new Date(Math.min(Date.now() + TOKEN_TTL_S * 1000, Date.parse(state.sessionEndsAt)))
  const tokenRow: AccessTokenRow = {
    id: newId(),
    organisationId: row.organisationId,
    tokenHash: hashToken(token),
    clinicianDid: decision.clinicianDid,
    patientId,
    scopes: JSON.stringify(decision.scopes),
    jkt,
    purpose: decision.purposeOfUse,
    kind,
    checks: JSON.stringify({
      statusRefs: state.statusRefs ?? [],
      records: decision.records ?? null,
      requestId: row.id,
    }),
    reason: state.emergency?.reason ?? null,
    expiresAt: expiresAt.toISOString(),
    createdAt: nowIso(),
  }
  // The token and its record in the trail commit together (an audit that cannot be written → no token).
  const issued = {
    kind: 'access.token_issued' as const,
    organisationId: row.organisationId,
    tokenId: tokenRow.id,
    clinicianDid: decision.clinicianDid,
    patientId,
    scopes: decision.scopes,
    expiresAt: tokenRow.expiresAt,
    purposeOfUse: decision.purposeOfUse,
    breakGlass: kind === 'break_glass',
  }
  await ctx.db.transaction(async (m) => {
    await ctx.trail.recordIn(m, issued)
    await m.getRepository(AccessTokenEntity).insert(tokenRow)
  })
  // An emergency is recorded when its first token is taken: by the clinician whose key presented
  // (whoever asked), with the reason given. Two racing first takes may both record it.
  if (state.emergency && !state.breakGlassRecorded) {
    await ctx.trail.record({
      kind: 'access.break_glass',
      organisationId: row.organisationId,
      clinicianDid: decision.clinicianDid,
      patientId,
      requestId: row.id,
      reason: state.emergency.reason,
      expiresAt: state.sessionEndsAt,
    })
    await ctx.db
      .getRepository(VpRequestEntity)
      .update({ id: row.id }, { access: JSON.stringify({ ...state, breakGlassRecorded: true }) })
  }
  return {
    access_token: token,
    token_type: 'DPoP',
    expires_in: Math.max(1, Math.round((expiresAt.getTime() - Date.now()) / 1000)),
    scope: decision.scopes.join(' '),
    patient: patientId,
    purpose_of_use: decision.purposeOfUse,
    session_ends_at: state.sessionEndsAt,
  }
}
