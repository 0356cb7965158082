import { setGlobalConfig } from '@openid4vc/oauth2'
import type { Resolver } from 'did-resolver'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  askAccess,
  askAccessWithForeignGrant,
  type Clinician,
  clinicianWithLicence,
  decisionOf,
  dpopProof,
  fhirGet,
  grant,
  type Patient,
  publishGrantList,
  registeredPatient,
  takeToken,
} from './access-kit'
import { inDays, useTestAgent } from './harness'
import { chainResolver } from './interop-kit'
import { walletKey } from './oid4vc-kit'

// Record access (DESIGN §6, issue #12) against a real agent on the embedded chain: a clinician's
// wallet presents a licence and the patient's grant through OpenID4VP; the hospital decides, gives
// a DPoP-bound token with SMART scopes, and its FHIR API serves only what the token opens. Every
// refusal path of the policy, and revocation taking effect.

const t = useTestAgent()
let resolver: Resolver
let doctor: Clinician
let patient: Patient

beforeAll(async () => {
  setGlobalConfig({ allowInsecureUrls: true })
  resolver = (await chainResolver(t)).resolver
  doctor = await clinicianWithLicence(t, resolver)
  patient = await registeredPatient(t, resolver)
})

/** A fresh grant to the doctor, presented; the decision. */
async function presentGrant(o: Parameters<typeof grant>[2] & { who?: Clinician; from?: Patient }) {
  const who = o.who ?? doctor
  const g = await grant(o.from ?? patient, who, o)
  const asked = await askAccess(t, resolver, {
    patientDid: (o.from ?? patient).key.did,
    key: who.key,
    chosen: { licence: who.licence, grant: g.held },
  })
  return { ...asked, grant: g, decision: (await decisionOf(t, asked.id, asked.secret)).decision! }
}

describe('record access: licence + grant → DPoP-bound token → FHIR read', () => {
  it('a valid licence and grant give a token whose scopes come from the grant; FHIR serves the patient’s records in scope only', async () => {
    const { id, secret, answered, decision } = await presentGrant({ audience: t.hospital.did, resolver })
    expect(answered).toEqual({ accepted: true })
    expect(decision).toMatchObject({ permitted: true, patientId: patient.id })
    expect(decision.scopes).toEqual(['patient/Condition.rs', 'patient/Observation.rs'])
    const res = await takeToken(t, { id, secret, key: doctor.key })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const token = res.body as {
      access_token: string
      token_type: string
      expires_in: number
      scope: string
      patient: string
    }
    expect(token).toMatchObject({
      token_type: 'DPoP',
      patient: patient.id,
      scope: 'patient/Condition.rs patient/Observation.rs',
    })
    expect(token.expires_in).toBeLessThanOrEqual(30)

    const search = await fhirGet(t, `/fhir/Observation?patient=${patient.id}`, token.access_token, doctor.key)
    expect(search.status, JSON.stringify(search.body)).toBe(200)
    const bundle = search.body as {
      resourceType: string
      total: number
      entry: { resource: { id: string; subject: { reference: string } } }[]
    }
    expect(bundle.resourceType).toBe('Bundle')
    expect(bundle.total).toBeGreaterThan(0)
    for (const e of bundle.entry) expect(e.resource.subject.reference).toBe(`Patient/${patient.id}`)
    const one = await fhirGet(
      t,
      `/fhir/Observation/${bundle.entry[0]!.resource.id}`,
      token.access_token,
      doctor.key,
    )
    expect(one.status).toBe(200)
    expect((one.body as { id: string }).id).toBe(bundle.entry[0]!.resource.id)

    // Out of scope: another type; another patient's record; the audit trail lists the reads.
    const allergies = await fhirGet(t, '/fhir/AllergyIntolerance', token.access_token, doctor.key)
    expect(allergies.status).toBe(403)
    expect((allergies.body as { resourceType: string }).resourceType).toBe('OperationOutcome')
    const other = await registeredPatient(t, resolver)
    const theirs = (
      await t.request(
        'GET',
        `/v1/organisations/${t.hospital.id}/audit?kind=records.stored&patient=${other.id}`,
        { token: t.hospital.token },
      )
    ).body as { entries: { event: { resources: string[] } }[] }
    const theirObservation = theirs.entries[0]!.event.resources.find((r) => r.startsWith('Observation/'))!
    expect((await fhirGet(t, `/fhir/${theirObservation}`, token.access_token, doctor.key)).status).toBe(404)
    expect(
      (await fhirGet(t, `/fhir/Observation?patient=${other.id}`, token.access_token, doctor.key)).status,
    ).toBe(403)

    const reads = (
      await t.request(
        'GET',
        `/v1/organisations/${t.hospital.id}/audit?kind=record.read&patient=${patient.id}`,
        { token: t.hospital.token },
      )
    ).body as { entries: { event: Record<string, unknown> }[] }
    expect(reads.entries.map((e) => e.event.interaction)).toEqual(['search', 'read'])
    expect(reads.entries[0]!.event).toMatchObject({
      clinicianDid: doctor.key.did,
      resourceType: 'Observation',
      purposeOfUse: 'TREAT',
      breakGlass: false,
    })
    // Types and ids only: no resource contents, no token.
    expect(JSON.stringify(reads.entries)).not.toContain(token.access_token)
    expect(JSON.stringify(reads.entries)).not.toContain('valueQuantity')
  })

  it('the token is bound to the presenter: another DID’s proof, no proof, a Bearer token are refused (401)', async () => {
    const { id, secret } = await presentGrant({ audience: t.hospital.did, resolver })
    // Someone else cannot take the token: the proof must be by the presenter's key.
    expect((await takeToken(t, { id, secret, key: walletKey() })).status).toBe(401)
    const token = ((await takeToken(t, { id, secret, key: doctor.key })).body as { access_token: string })
      .access_token
    const stranger = await fhirGet(t, '/fhir/Observation', token, walletKey())
    expect(stranger.status).toBe(401)
    expect((stranger.body as { resourceType: string }).resourceType).toBe('OperationOutcome')
    const bearer = await t.request('GET', '/fhir/Observation', {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(bearer.status).toBe(401)
    const noProof = await t.request('GET', '/fhir/Observation', {
      headers: { authorization: `DPoP ${token}` },
    })
    expect(noProof.status).toBe(401)
    // A proof is used once: the same request replayed with it is refused.
    const proof = await dpopProof(doctor.key, 'GET', `${t.url}/fhir/Observation`, token)
    const replay = () =>
      t.request('GET', '/fhir/Observation', { headers: { authorization: `DPoP ${token}`, dpop: proof } })
    expect((await replay()).status).toBe(200)
    expect((await replay()).status).toBe(401)
    const unknown = await fhirGet(t, '/fhir/Observation', 'cat_not-a-token', doctor.key)
    expect(unknown.status).toBe(401)
  })

  it('refuses without a grant, with someone else’s grant, a grant for another hospital, an expired grant, and a grant of another patient', async () => {
    const noGrant = await askAccess(t, resolver, {
      patientDid: patient.key.did,
      key: doctor.key,
      chosen: { licence: doctor.licence },
    })
    expect((await decisionOf(t, noGrant.id, noGrant.secret)).decision).toMatchObject({
      permitted: false,
      reason: 'grant_missing',
    })

    // A grant to a colleague, presented by the doctor (it is bound to the colleague's key: the
    // wallet library refuses to present it, so the answer is made by hand).
    const colleague = await clinicianWithLicence(t, resolver)
    const theirs = await grant(patient, colleague, { audience: t.hospital.did, resolver })
    const someoneElses = await askAccessWithForeignGrant(t, resolver, {
      patientDid: patient.key.did,
      key: doctor.key,
      licence: doctor.licence,
      grantSdJwt: theirs.credential,
    })
    expect(someoneElses.status).toBe(403)
    expect((await decisionOf(t, someoneElses.id, someoneElses.secret)).decision).toMatchObject({
      permitted: false,
      reason: 'presentation_invalid',
    })

    const elsewhere = await presentGrant({ audience: t.board.did, resolver })
    expect(elsewhere.decision).toMatchObject({ permitted: false, reason: 'grant_wrong_hospital' })
    expect(elsewhere.answered).toMatchObject({ refused: expect.stringContaining('access_denied') })
    expect((await takeToken(t, { id: elsewhere.id, secret: elsewhere.secret, key: doctor.key })).status).toBe(
      403,
    )

    const expired = await presentGrant({
      audience: t.hospital.did,
      resolver,
      validFrom: new Date(Date.now() - 3 * 86_400_000),
      validUntil: new Date(Date.now() - 86_400_000).toISOString(),
    })
    expect(expired.decision).toMatchObject({ permitted: false, reason: 'grant_expired' })

    // A grant by another patient, presented for this patient's records.
    const other = await registeredPatient(t, resolver)
    const g = await grant(other, doctor, { audience: t.hospital.did, resolver })
    const mixed = await askAccess(t, resolver, {
      patientDid: patient.key.did,
      key: doctor.key,
      chosen: { licence: doctor.licence, grant: g.held },
    })
    expect((await decisionOf(t, mixed.id, mixed.secret)).decision).toMatchObject({
      permitted: false,
      reason: 'grant_not_from_patient',
    })

    // A patient the hospital does not know.
    const stranger = walletKey()
    const unknown = await askAccess(t, resolver, {
      patientDid: stranger.did,
      key: doctor.key,
      chosen: { licence: doctor.licence, grant: g.held },
    })
    expect((await decisionOf(t, unknown.id, unknown.secret)).decision).toMatchObject({
      permitted: false,
      reason: 'unknown_patient',
    })
  })

  it('a revoked grant: the token in hand stops working and no new token is given', async () => {
    const { id, secret, grant: g } = await presentGrant({ audience: t.hospital.did, resolver })
    const token = ((await takeToken(t, { id, secret, key: doctor.key })).body as { access_token: string })
      .access_token
    expect((await fhirGet(t, '/fhir/Condition', token, doctor.key)).status).toBe(200)
    patient.revoked.add(g.index)
    await publishGrantList(t, patient)
    const after = await fhirGet(t, '/fhir/Condition', token, doctor.key)
    expect(after.status).toBe(403)
    expect(JSON.stringify(after.body)).toContain('grant revoked')
    const renewed = await takeToken(t, { id, secret, key: doctor.key })
    expect(renewed.status).toBe(403)
    expect(renewed.body).toMatchObject({ code: 'access_denied' })
    // And presenting the revoked grant again is refused with the reason.
    const again = await askAccess(t, resolver, {
      patientDid: patient.key.did,
      key: doctor.key,
      chosen: { licence: doctor.licence, grant: g.held },
    })
    expect((await decisionOf(t, again.id, again.secret)).decision).toMatchObject({
      permitted: false,
      reason: 'grant_revoked',
    })
  })

  it('a suspended or revoked licence, and a licence from an untrusted board, are refused', async () => {
    const suspended = await clinicianWithLicence(t, resolver)
    const credentialId = (suspended.licence.claims as { jti?: string }).jti
    const licenceId = await issuedIdOf(suspended.licence.credential)
    const ok = await presentGrant({ audience: t.hospital.did, resolver, who: suspended })
    expect(ok.decision.permitted).toBe(true)
    const token = (
      (await takeToken(t, { id: ok.id, secret: ok.secret, key: suspended.key })).body as {
        access_token: string
      }
    ).access_token
    void credentialId
    const status = await t.request(
      'POST',
      `/v1/organisations/${t.board.id}/credentials/${licenceId}/status`,
      { token: t.board.token, body: { action: 'suspend' } },
    )
    expect(status.status, JSON.stringify(status.body)).toBe(200)
    t.agent.ctx.status.clear()
    expect((await fhirGet(t, '/fhir/Observation', token, suspended.key)).status).toBe(403)
    const later = await presentGrant({ audience: t.hospital.did, resolver, who: suspended })
    expect(later.decision).toMatchObject({ permitted: false, reason: 'licence_suspended' })
    await t.request('POST', `/v1/organisations/${t.board.id}/credentials/${licenceId}/status`, {
      token: t.board.token,
      body: { action: 'revoke' },
    })
    t.agent.ctx.status.clear()
    const revoked = await presentGrant({ audience: t.hospital.did, resolver, who: suspended })
    expect(revoked.decision).toMatchObject({ permitted: false, reason: 'licence_revoked' })

    // A second board the hospital does not trust.
    const board2 = await t.request('POST', '/v1/organisations', {
      token: t.admin,
      body: { name: 'Untrusted Board', kind: 'board' },
    })
    expect(board2.status, JSON.stringify(board2.body)).toBe(201)
    const b = board2.body as { organisation: { id: string; did: string }; token: string }
    const outsider = await clinicianWithLicence(t, resolver, {
      id: b.organisation.id,
      did: b.organisation.did,
      token: b.token,
    })
    const untrusted = await presentGrant({ audience: t.hospital.did, resolver, who: outsider })
    expect(untrusted.decision).toMatchObject({ permitted: false, reason: 'licence_untrusted' })
    // Whether a DID is a patient here is not said to someone without a trusted licence…
    const probe = await askAccess(t, resolver, {
      patientDid: walletKey().did,
      key: outsider.key,
      chosen: { licence: outsider.licence },
    })
    expect((await decisionOf(t, probe.id, probe.secret)).decision).toMatchObject({
      reason: 'licence_untrusted',
    })
    // …and their refusal is not written into the patient's access report.
    const decided = (
      await t.request('GET', `/v1/organisations/${t.hospital.id}/audit?kind=access.decided&limit=1000`, {
        token: t.hospital.token,
      })
    ).body as { entries: { event: { clinicianDid?: string; patientId?: string; reason?: string } }[] }
    const theirs = decided.entries.filter((e) => e.event.clinicianDid === outsider.key.did)
    expect(theirs.length).toBeGreaterThan(0)
    for (const e of theirs) expect(e.event.patientId).toBeUndefined()
  })

  it('a grant limited to single records opens only those; a grant that hides a claim is refused', async () => {
    const stored = (
      await t.request(
        'GET',
        `/v1/organisations/${t.hospital.id}/audit?kind=records.stored&patient=${patient.id}`,
        {
          token: t.hospital.token,
        },
      )
    ).body as { entries: { event: { resources: string[] } }[] }
    const observations = stored.entries[0]!.event.resources.filter((r) => r.startsWith('Observation/'))
    expect(observations.length).toBeGreaterThan(1)
    const [only, other] = observations as [string, string]
    const limited = await presentGrant({
      audience: t.hospital.did,
      resolver,
      scope: ['patient/Observation.rs'],
      records: [only],
    })
    expect(limited.decision.permitted).toBe(true)
    const token = (
      (await takeToken(t, { id: limited.id, secret: limited.secret, key: doctor.key })).body as {
        access_token: string
      }
    ).access_token
    const search = await fhirGet(t, '/fhir/Observation', token, doctor.key)
    expect((search.body as { total: number }).total).toBe(1)
    expect((await fhirGet(t, `/fhir/${only}`, token, doctor.key)).status).toBe(200)
    expect((await fhirGet(t, `/fhir/${other}`, token, doctor.key)).status).toBe(404)
    // The same limit made selectively disclosable: the wallet leaves it out, the hospital refuses the grant.
    const hiding = await presentGrant({
      audience: t.hospital.did,
      resolver,
      scope: ['patient/Observation.rs'],
      records: [only],
      disclosable: ['records'],
    })
    expect(hiding.decision).toMatchObject({ permitted: false, reason: 'grant_invalid' })
  })

  it('an expired token is refused (401) and can be renewed within the session while nothing was revoked', async () => {
    const { id, secret } = await presentGrant({ audience: t.hospital.did, resolver })
    const token = ((await takeToken(t, { id, secret, key: doctor.key })).body as { access_token: string })
      .access_token
    // Expire it in the database (as 60 s passing would).
    await t.agent.ctx.db.query(`UPDATE clavis_access_token SET expires_at = '2000-01-01T00:00:00.000Z'`)
    const expired = await fhirGet(t, '/fhir/Observation', token, doctor.key)
    expect(expired.status).toBe(401)
    expect(JSON.stringify(expired.body)).toContain('expired')
    const renewed = await takeToken(t, { id, secret, key: doctor.key })
    expect(renewed.status).toBe(200)
    expect(
      (
        await fhirGet(
          t,
          '/fhir/Observation',
          (renewed.body as { access_token: string }).access_token,
          doctor.key,
        )
      ).status,
    ).toBe(200)
  })

  it('break glass: a licensed clinician declares an emergency with a reason; time-limited, flagged BTG in the trail', async () => {
    const stranger = await clinicianWithLicence(t, resolver)
    const noReason = await t.request('POST', `/v1/organisations/${t.hospital.id}/access/requests`, {
      body: { patient: patient.key.did, emergency: { reason: '   ' } },
    })
    expect(noReason.status).toBe(400)
    const asked = await askAccess(t, resolver, {
      patientDid: patient.key.did,
      key: stranger.key,
      chosen: { licence: stranger.licence },
      emergency: { reason: 'Unconscious on arrival; allergy history needed' },
    })
    expect(asked.answered).toEqual({ accepted: true })
    const decision = (await decisionOf(t, asked.id, asked.secret)).decision!
    expect(decision).toMatchObject({ permitted: true, purposeOfUse: 'BTG' })
    const token = await takeToken(t, { id: asked.id, secret: asked.secret, key: stranger.key })
    expect(token.body).toMatchObject({ purpose_of_use: 'BTG' })
    const at = (token.body as { access_token: string }).access_token
    expect((await fhirGet(t, '/fhir/AllergyIntolerance', at, stranger.key)).status).toBe(200)
    const trail = (
      await t.request('GET', `/v1/organisations/${t.hospital.id}/audit?patient=${patient.id}`, {
        token: t.hospital.token,
      })
    ).body as { entries: { kind: string; event: Record<string, unknown> }[] }
    const glass = trail.entries.find((e) => e.kind === 'access.break_glass')!
    expect(glass.event).toMatchObject({
      clinicianDid: stranger.key.did,
      reason: 'Unconscious on arrival; allergy history needed',
    })
    expect(Date.parse(glass.event.expiresAt as string)).toBeLessThanOrEqual(Date.now() + 31 * 60_000)
    expect(trail.entries.filter((e) => e.kind === 'record.read').at(-1)!.event).toMatchObject({
      breakGlass: true,
      purposeOfUse: 'BTG',
    })
    // Without a licence there is no emergency access either: an empty answer decides nothing.
    const nobody = await askAccess(t, resolver, {
      patientDid: patient.key.did,
      key: walletKey(),
      chosen: {},
      emergency: { reason: 'x' },
    })
    expect(nobody.answered).toMatchObject({ refused: expect.any(String) })
    expect(await decisionOf(t, nobody.id, nobody.secret)).toMatchObject({ status: 'pending' })
  })
})

/** The agent's id of an issued credential (from its jti / the issued list). */
async function issuedIdOf(sdJwt: string): Promise<string> {
  const payload = JSON.parse(Buffer.from(sdJwt.split('~')[0]!.split('.')[1]!, 'base64url').toString()) as {
    jti?: string
  }
  const list = (
    await t.request('GET', `/v1/organisations/${t.board.id}/credentials?limit=500`, { token: t.board.token })
  ).body as { credentials: { id: string; credentialId?: string; jti?: string }[] }
  const match = list.credentials.find(
    (c) => payload.jti?.endsWith(c.id) || c.credentialId === payload.jti || c.jti === payload.jti,
  )
  if (!match)
    throw new Error(`licence ${payload.jti} not in the board's list: ${JSON.stringify(list.credentials[0])}`)
  return match.id
}

void inDays
