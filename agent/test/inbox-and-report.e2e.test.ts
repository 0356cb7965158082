import { setGlobalConfig } from '@openid4vc/oauth2'
import type { Resolver } from 'did-resolver'
import { CompactEncrypt, compactDecrypt, exportJWK, generateKeyPair, importJWK } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  askAccess,
  clinicianWithLicence,
  dpopProof,
  fhirGet,
  grant,
  inboxKeyBinding as keyBinding,
  registeredPatient,
  takeToken,
} from './access-kit'
import { useTestAgent } from './harness'
import { chainResolver } from './interop-kit'
import { walletKey } from './oid4vc-kit'

// Grant delivery through the hospital's inbox (encrypted to the clinician's key: the agent cannot
// read it) and the patient's access report (after proving their DID's key).

const t = useTestAgent()
let resolver: Resolver
beforeAll(async () => {
  setGlobalConfig({ allowInsecureUrls: true })
  resolver = (await chainResolver(t)).resolver
})

const base = () => `/v1/organisations/${t.hospital.id}`

describe('grant inbox and access report', () => {
  it('a patient leaves a grant encrypted to the clinician’s inbox key; only the clinician reads it, then clears it', async () => {
    const doctor = await clinicianWithLicence(t, resolver)
    const patient = await registeredPatient(t, resolver)
    const { publicKey, privateKey } = await generateKeyPair('ECDH-ES+A256KW', {
      crv: 'P-256',
      extractable: true,
    })
    const pub = { ...(await exportJWK(publicKey)), use: 'enc', alg: 'ECDH-ES+A256KW' }
    // A binding signed by someone else's key is refused; the clinician's own is kept and served.
    const mallory = walletKey()
    const forged = await keyBinding(mallory, pub)
    expect(
      (await t.request('PUT', `${base()}/inbox/${doctor.key.did}/key`, { body: { binding: forged } })).status,
    ).toBe(400)
    const binding = await keyBinding(doctor.key, pub)
    expect(
      (await t.request('PUT', `${base()}/inbox/${doctor.key.did}/key`, { body: { binding } })).status,
    ).toBe(200)
    const served = (await t.request('GET', `${base()}/inbox/${doctor.key.did}/key`)).body as {
      binding: string
    }
    expect(served.binding).toBe(binding)

    // The patient's wallet encrypts the grant to that key (ECDH-ES+A256KW, A256GCM) and leaves it.
    const g = await grant(patient, doctor, { audience: t.hospital.did, resolver })
    const jwe = await new CompactEncrypt(new TextEncoder().encode(g.credential))
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'dc+sd-jwt' })
      .encrypt(await importJWK(pub, 'ECDH-ES+A256KW'))
    const send = async (to: string, body: object, from = patient.key) =>
      t.request('POST', `${base()}/inbox/${to}`, {
        body,
        headers: { dpop: await dpopProof(from, 'POST', `${t.url}${base()}/inbox/${to}`) },
      })
    const left = await send(doctor.key.did, { jwe, from: patient.key.did })
    expect(left.status, JSON.stringify(left.body)).toBe(201)
    // Plain text is refused: the inbox only holds what it cannot read.
    expect((await send(doctor.key.did, { jwe: `${g.credential}.x.y.z`, from: patient.key.did })).status).toBe(
      400,
    )
    expect((await send(mallory.did, { jwe, from: patient.key.did })).status).toBe(404)
    // Only the hospital's patients leave messages, proving their key: not a stranger, not a claimed DID.
    expect((await send(doctor.key.did, { jwe, from: mallory.did }, mallory)).status).toBe(403)
    expect((await send(doctor.key.did, { jwe, from: patient.key.did }, mallory)).status).toBe(401)
    // One sender fills nobody's inbox: 10 waiting from them, then 409 until the recipient reads.
    for (let i = 1; i < 10; i++)
      expect((await send(doctor.key.did, { jwe, from: patient.key.did })).status).toBe(201)
    expect((await send(doctor.key.did, { jwe, from: patient.key.did })).status).toBe(409)
    // The agent's copy is ciphertext.
    const stored = (await t.agent.ctx.db.query('SELECT jwe FROM clavis_inbox_message')) as { jwe: string }[]
    expect(stored.map((r) => r.jwe)).toContain(jwe)
    expect(JSON.stringify(stored)).not.toContain(g.credential.split('.')[1]!)

    // Reading needs a proof by the DID's key.
    const path = `${base()}/inbox/${doctor.key.did}`
    expect((await t.request('GET', path)).status).toBe(401)
    expect(
      (
        await t.request('GET', path, {
          headers: { dpop: await dpopProof(mallory, 'GET', `${t.url}${path}`) },
        })
      ).status,
    ).toBe(401)
    const inbox = (
      await t.request('GET', path, {
        headers: { dpop: await dpopProof(doctor.key, 'GET', `${t.url}${path}`) },
      })
    ).body as { messages: { id: string; jwe: string }[] }
    expect(inbox.messages).toHaveLength(10)
    const { plaintext } = await compactDecrypt(inbox.messages[0]!.jwe, privateKey)
    expect(new TextDecoder().decode(plaintext)).toBe(g.credential)
    const one = `${path}/${inbox.messages[0]!.id}`
    expect(
      (
        await t.request('DELETE', one, {
          headers: { dpop: await dpopProof(doctor.key, 'DELETE', `${t.url}${one}`) },
        })
      ).status,
    ).toBe(200)
    const after = (
      await t.request('GET', path, {
        headers: { dpop: await dpopProof(doctor.key, 'GET', `${t.url}${path}`) },
      })
    ).body as { messages: unknown[] }
    expect(after.messages).toHaveLength(9)
    // With one taken, the sender may leave one more.
    expect((await send(doctor.key.did, { jwe, from: patient.key.did })).status).toBe(201)
  })

  it('the patient’s access report lists who asked, who read what and emergencies, after a proof of their DID key; with a signed checkpoint', async () => {
    const doctor = await clinicianWithLicence(t, resolver)
    const patient = await registeredPatient(t, resolver)
    const g = await grant(patient, doctor, { audience: t.hospital.did, resolver })
    const asked = await askAccess(t, resolver, {
      patientDid: patient.key.did,
      key: doctor.key,
      chosen: { licence: doctor.licence, grant: g.held },
    })
    const token = (
      (await takeToken(t, { id: asked.id, secret: asked.secret, key: doctor.key })).body as {
        access_token: string
      }
    ).access_token
    expect((await fhirGet(t, '/fhir/Condition', token, doctor.key)).status).toBe(200)
    const medic = await clinicianWithLicence(t, resolver)
    const emergency = await askAccess(t, resolver, {
      patientDid: patient.key.did,
      key: medic.key,
      chosen: { licence: medic.licence },
      emergency: { reason: 'Collapsed in the car park' },
    })
    // The emergency is recorded when its token is taken, by the key that presented.
    expect((await takeToken(t, { id: emergency.id, secret: emergency.secret, key: medic.key })).status).toBe(
      200,
    )

    const path = `${base()}/access-report/${patient.key.did}`
    expect((await t.request('GET', path)).status).toBe(401)
    expect(
      (
        await t.request('GET', path, {
          headers: { dpop: await dpopProof(doctor.key, 'GET', `${t.url}${path}`) },
        })
      ).status,
    ).toBe(401)
    const res = await t.request('GET', path, {
      headers: { dpop: await dpopProof(patient.key, 'GET', `${t.url}${path}`) },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const report = res.body as {
      patientId: string
      entries: Record<string, unknown>[]
      checkpoint: { jwt: string; size: number }
    }
    expect(report.patientId).toBe(patient.id)
    // Newest first: the emergency (declared once it was decided), its decision, the read, the first decision.
    expect(report.entries.map((e) => e.kind)).toEqual([
      'access.break_glass',
      'access.decided',
      'record.read',
      'access.decided',
    ])
    expect(report.entries[1]).toMatchObject({
      clinicianDid: medic.key.did,
      permitted: true,
      breakGlass: true,
    })
    expect(report.entries[0]).toMatchObject({
      clinicianDid: medic.key.did,
      breakGlass: true,
      emergencyReason: 'Collapsed in the car park',
    })
    expect(report.entries[2]).toMatchObject({
      clinicianDid: doctor.key.did,
      resourceType: 'Condition',
      interaction: 'search',
      purposeOfUse: 'TREAT',
    })
    expect(report.checkpoint.size).toBeGreaterThan(0)
    // The checkpoint verifies the trail it names.
    const v = await t.request('POST', `${base()}/audit/verify`, {
      token: t.hospital.token,
      body: { checkpoints: [report.checkpoint.jwt] },
    })
    expect(v.body).toMatchObject({ ok: true })
    // Another patient cannot read this one's report, even with a valid proof of their own key.
    const other = await registeredPatient(t, resolver)
    expect(
      (
        await t.request('GET', path, {
          headers: { dpop: await dpopProof(other.key, 'GET', `${t.url}${path}`) },
        })
      ).status,
    ).toBe(401)
  })
  // Last: it uses up this minute's budget of key statements at this hospital.
  it('anonymous writes are bounded per hospital: key statements beyond 600 a minute get 429 with Retry-After', async () => {
    const did = walletKey().did
    const put = () =>
      t.agent.app.request(`${base()}/inbox/${did}/key`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ binding: 'x'.repeat(30) }),
      })
    // The tests above published a few this minute; the rest of the 600 are refused as bad (400).
    let refusedAsBad = 0
    let over = await put()
    while (over.status === 400 && refusedAsBad < 601) {
      refusedAsBad++
      over = await put()
    }
    expect(refusedAsBad).toBeGreaterThan(590)
    expect(refusedAsBad).toBeLessThanOrEqual(600)
    expect(over.status).toBe(429)
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await over.json()).toMatchObject({ code: 'rate_limited' })
  })
})
