import { createDidEthrKey } from '@clavis/did'
import { presentSdJwtVc } from '@clavis/sd-jwt'
import { presentJwtVp } from '@clavis/verify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inDays, licenceClaims, patientClaims, startTestAgent, type TestAgent } from './harness'
import type { PresentationRequest } from './holders'

// Revocation, suspension and presentations end to end on the real chain and SQLite.

const holderKey = () => createDidEthrKey({ chainId: 31337 })

describe('status lists and presentations', () => {
  let t: TestAgent
  const clinician = holderKey()
  const patient = holderKey()

  const issueLicence = async () => {
    const res = await t.request('POST', `/v1/organisations/${t.board.id}/credentials`, {
      token: t.board.token,
      body: {
        type: 'ClinicianLicenseCredential',
        subject: clinician.did,
        claims: licenceClaims(),
        validUntil: inDays(365),
      },
    })
    expect(res.status).toBe(201)
    return res.body as { id: string; jwt: string }
  }
  const verify = async (jwt: string) =>
    (await t.request('POST', '/v1/verify', { body: { credential: jwt, verifier: t.hospital.id } })).body
  const setStatus = (id: string, action: string) =>
    t.request('POST', `/v1/organisations/${t.board.id}/credentials/${id}/status`, {
      token: t.board.token,
      body: { action },
    })
  const presentationRequest = async () =>
    (
      await t.request('POST', `/v1/organisations/${t.hospital.id}/presentation-requests`, {
        token: t.hospital.token,
        body: {},
      })
    ).body as PresentationRequest
  const verifyPresentation = async (presentation: string, asked: PresentationRequest) =>
    t.request('POST', '/v1/verify/presentation', {
      body: { presentation, nonce: asked.nonce, requestSecret: asked.requestSecret, verifier: t.hospital.id },
    })

  beforeAll(async () => {
    t = await startTestAgent()
  })
  afterAll(async () => {
    await t?.stop()
  })

  it('a licence carries revocation and suspension entries at the same random index', async () => {
    const { jwt } = await issueLicence()
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString())
    const entries = payload.vc.credentialStatus
    expect(entries.map((e: { statusPurpose: string }) => e.statusPurpose)).toEqual([
      'revocation',
      'suspension',
    ])
    expect(entries[0].statusListIndex).toBe(entries[1].statusListIndex)
    expect(Number(entries[0].statusListIndex)).toBeLessThan(131072)
    expect((await verify(jwt)).checks.status).toEqual({ passed: true })
  })

  it('suspend → suspended; reinstate → valid again; revoke → revoked, and final', async () => {
    const { id, jwt } = await issueLicence()
    expect((await setStatus(id, 'suspend')).status).toBe(200)
    expect((await verify(jwt)).checks.status).toMatchObject({ passed: false, code: 'suspended' })
    expect((await setStatus(id, 'reinstate')).status).toBe(200)
    const again = await verify(jwt)
    expect(again.valid).toBe(true)
    expect((await setStatus(id, 'revoke')).status).toBe(200)
    const revoked = await verify(jwt)
    expect(revoked.valid).toBe(false)
    expect(revoked.checks.status).toMatchObject({ passed: false, code: 'revoked' })
    const reinstate = await setStatus(id, 'reinstate')
    expect(reinstate.status).toBe(409)
    expect(reinstate.body.code).toBe('conflict')
  })

  it('serves the signed lists publicly with a short cache lifetime', async () => {
    const { jwt } = await issueLicence()
    const url: string = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).vc
      .credentialStatus[0].statusListCredential
    const res = await t.agent.app.request(new URL(url).pathname)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('public, max-age=30')
    const listJwt = await res.text()
    expect(listJwt.split('.')).toHaveLength(3)
  })

  it('JWT VP: the clinician presents a licence to the hospital; a replay is refused', async () => {
    const { jwt } = await issueLicence()
    const asked = await presentationRequest()
    const { nonce, audience } = asked
    expect(audience).toBe(t.hospital.did)
    const vp = await presentJwtVp({
      credentials: [jwt],
      holder: clinician.did,
      kid: clinician.kid,
      signer: clinician.signer,
      nonce,
      audience,
    })
    const first = await verifyPresentation(vp, asked)
    expect(first.status).toBe(200)
    expect(first.body.valid).toBe(true)
    expect(first.body.credentials[0].valid).toBe(true)
    const replay = await verifyPresentation(vp, asked)
    expect(replay.body.valid).toBe(false)
    expect(replay.body.checks.nonceAudience).toMatchObject({ passed: false, code: 'nonce_replayed' })
  })

  it('JWT VP: a credential about someone else is refused (holder binding)', async () => {
    const { jwt } = await issueLicence()
    const asked = await presentationRequest()
    const { nonce, audience } = asked
    const thief = holderKey()
    const vp = await presentJwtVp({
      credentials: [jwt],
      holder: thief.did,
      kid: thief.kid,
      signer: thief.signer,
      nonce,
      audience,
    })
    const res = await verifyPresentation(vp, asked)
    expect(res.body.valid).toBe(false)
    expect(res.body.checks.holderBinding).toMatchObject({ passed: false, code: 'holder_mismatch' })
  })

  it('SD-JWT VC: the patient shows name and birth date only, bound to their key; revocation is seen', async () => {
    const issued = await t.request('POST', `/v1/organisations/${t.hospital.id}/credentials`, {
      token: t.hospital.token,
      body: {
        type: 'PatientIdentityCredential',
        format: 'dc+sd-jwt',
        subject: patient.did,
        holderJwk: patient.jwk,
        claims: patientClaims(),
        validUntil: inDays(365),
      },
    })
    expect(issued.status).toBe(201)
    expect(issued.body.format).toBe('dc+sd-jwt')
    const present = async () => {
      const asked = await presentationRequest()
      const { nonce, audience } = asked
      const presentation = await presentSdJwtVc({
        credential: issued.body.jwt,
        disclose: ['name', 'birthDate'],
        keyBinding: { alg: 'ES256K', signer: patient.signer, nonce, audience },
      })
      return verifyPresentation(presentation, asked)
    }
    const res = await present()
    expect(res.body.valid).toBe(true)
    expect(res.body.format).toBe('dc+sd-jwt')
    expect(res.body.disclosed.name).toEqual(patientClaims().name)
    expect(res.body.disclosed.birthDate).toBe(patientClaims().birthDate)
    expect(res.body.disclosed.identifier).toBeUndefined()
    const revoke = await t.request(
      'POST',
      `/v1/organisations/${t.hospital.id}/credentials/${issued.body.id}/status`,
      {
        token: t.hospital.token,
        body: { action: 'revoke' },
      },
    )
    expect(revoke.status).toBe(200)
    const after = await present()
    expect(after.body.valid).toBe(false)
    expect(after.body.credentials[0].checks.status).toMatchObject({ passed: false, code: 'revoked' })
  })
})
