/**
 * A clinician opens a patient's records at a hospital from the wallet: ask (an OpenID4VP request
 * for the licence and the patient's grant, or an emergency), let the wallet present, read the
 * hospital's decision, take a DPoP-bound token (renewed within the session when it expires:
 * tokens live 30 s), and read the FHIR records the token's scopes open.
 */
import type { OutputOf } from '@clavis/api/client'
import type { HolderKey } from '@clavis/holder'
import { dpopProof } from '@clavis/holder'
import { agentPublicUrl, publicApi, secretApi } from '$lib/agent/browser'

export type AccessDecision = NonNullable<OutputOf<'getAccessRequest'>['decision']>

/** An access request the clinician made, and once permitted its token. */
export interface RecordSession {
  hospitalId: string
  requestId: string
  requestUri: string
  secret: string
  emergency: boolean
  token?: {
    value: string
    expiresAt: number
    scopes: string[]
    patientId: string
    purposeOfUse: string
    sessionEndsAt: string
  }
}

export class RecordsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'RecordsError'
  }
}

export async function askForRecords(o: {
  hospitalId: string
  patientDid: string
  emergencyReason?: string | undefined
}): Promise<RecordSession> {
  const reason = o.emergencyReason?.trim()
  const created = await publicApi().createAccessRequest({
    params: { id: o.hospitalId },
    body: { patient: o.patientDid, ...(reason ? { emergency: { reason } } : {}) },
  })
  return {
    hospitalId: o.hospitalId,
    requestId: created.id,
    requestUri: created.requestUri,
    secret: created.secret,
    emergency: Boolean(reason),
  }
}

/** The hospital's decision once the wallet answered (undefined while it has none). */
export async function decisionOf(s: RecordSession): Promise<AccessDecision | undefined> {
  const r = await secretApi(s.secret).getAccessRequest({
    params: { id: s.hospitalId, requestId: s.requestId },
  })
  return r.decision
}

/** Takes (or renews) the session's token, proving the wallet's key. */
export async function takeToken(s: RecordSession, key: HolderKey): Promise<RecordSession> {
  const url = `${await agentPublicUrl()}/v1/organisations/${s.hospitalId}/access/token`
  const t = await secretApi(s.secret).takeAccessToken({
    params: { id: s.hospitalId },
    body: { requestId: s.requestId },
    headers: { DPoP: await dpopProof(key, 'POST', url) },
  })
  return {
    ...s,
    token: {
      value: t.access_token,
      expiresAt: Date.now() + t.expires_in * 1000,
      scopes: t.scope.split(' ').filter(Boolean),
      patientId: t.patient,
      purposeOfUse: t.purpose_of_use,
      sessionEndsAt: t.session_ends_at,
    },
  }
}

/** The record types a token's scopes open (`patient/Observation.rs` → Observation). */
export const typesOf = (scopes: readonly string[]) => [
  ...new Set(scopes.map((s) => /^patient\/(\w+)\.r?s$/.exec(s)?.[1]).filter((t): t is string => Boolean(t))),
]

/** What the hospital's FHIR API answered: a Bundle's resources, or why not. */
export type FhirAnswer =
  | { ok: true; resources: Record<string, unknown>[]; total: number }
  | { ok: false; status: number; message: string }

/**
 * Searches one record type of the token's patient (newest first where the type has a date), with a
 * fresh DPoP proof; an expired token is renewed once (which re-checks licence and grant).
 */
export async function searchRecords(
  s: RecordSession,
  key: HolderKey,
  type: string,
): Promise<{ session: RecordSession; answer: FhirAnswer }> {
  let session = s
  if (!session.token || session.token.expiresAt - Date.now() < 5_000) session = await takeToken(session, key)
  const dated = ['Observation', 'Encounter', 'AllergyIntolerance'].includes(type)
  const query = `?_count=100${dated ? '&_sort=-date' : ''}`
  const call = async () => {
    const path = `/fhir/${type}`
    const proof = await dpopProof(key, 'GET', `${await agentPublicUrl()}${path}`, session.token!.value)
    return fetch(`${location.origin}/agent${path}${query}`, {
      headers: {
        authorization: `DPoP ${session.token!.value}`,
        dpop: proof,
        accept: 'application/fhir+json',
      },
      credentials: 'omit',
    })
  }
  let res = await call()
  if (res.status === 401 && /expired/i.test(res.headers.get('www-authenticate') ?? '')) {
    session = await takeToken(session, key)
    res = await call()
  }
  const body = (await res.json().catch(() => ({}))) as {
    resourceType?: string
    total?: number
    entry?: { resource: Record<string, unknown> }[]
    issue?: { details?: { text?: string } }[]
  }
  if (!res.ok || body.resourceType !== 'Bundle')
    return {
      session,
      answer: {
        ok: false,
        status: res.status,
        message: body.issue?.[0]?.details?.text ?? `The hospital answered ${res.status}.`,
      },
    }
  return {
    session,
    answer: { ok: true, resources: (body.entry ?? []).map((e) => e.resource), total: body.total ?? 0 },
  }
}
