import { gunzipSync } from 'node:zlib'
import { Bitstring, signBitstringStatusListCredential } from '@clavis/status'
import { presentJwtVp } from '@clavis/verify'
import { describe, expect, it } from 'vitest'
import { expectError, issue, licenceBody, nonceFor } from './api'
import { useTestAgent } from './harness'
import { decodeJwt, holderKey, signJwt } from './holders'

// VC Data Model 2.0 secured with VC-JOSE-COSE (issue #8, ADR 0022): issued on request
// (`format: 'vc+jwt'`), with its own status lists in the same form, verified alone and in a
// `vp+jwt`; VC 1.1 JWT-VCs keep their format with the status list context; uploads of W3C lists
// in either form are accepted and served as their media type.

const V1 = 'https://www.w3.org/2018/credentials/v1'
const V2 = 'https://www.w3.org/ns/credentials/v2'
const STATUS_V1 = 'https://www.w3.org/ns/credentials/status/v1'

const clinician = holderKey()
const patient = holderKey()
const t = useTestAgent()

const verify = (jwt: string) =>
  t.request('POST', '/v1/verify', { body: { credential: jwt, verifier: t.hospital.id } })
const changeStatus = (id: string, action: string) =>
  t.request('POST', `/v1/organisations/${t.board.id}/credentials/${id}/status`, {
    token: t.board.token,
    body: { action },
  })

describe('issuing and verifying VC 2.0 (vc+jwt)', () => {
  it('issues a vc+jwt whose claims set is the credential, its status in the vc+jwt lists', async () => {
    const issued = await issue(t, t.board, licenceBody(clinician.did, { format: 'vc+jwt' }))
    expect(issued.format).toBe('vc+jwt')
    const { header, payload } = decodeJwt(issued.jwt)
    expect(header).toEqual({ alg: 'ES256K', typ: 'vc+jwt', kid: expect.stringMatching(`^${t.board.did}#`) })
    expect(payload).toMatchObject({
      '@context': [V2],
      type: ['VerifiableCredential', 'ClinicianLicenseCredential'],
      id: `urn:uuid:${issued.id}`,
      issuer: t.board.did,
      validFrom: expect.stringMatching(/Z$/),
      validUntil: expect.stringMatching(/Z$/),
      credentialSubject: { id: clinician.did, licenseNumber: 'A-123456' },
      iat: expect.any(Number),
    })
    for (const name of ['vc', 'iss', 'nbf', 'issuanceDate', 'expirationDate'])
      expect(payload).not.toHaveProperty(name)
    const [revocation, suspension] = payload.credentialStatus
    expect(revocation).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: expect.stringMatching(/^(0|[1-9]\d*)$/),
      statusListCredential: expect.stringMatching(/\/v1\/status-lists\/[\w-]+\/revocation-vc2$/),
    })
    expect(suspension.statusListCredential).toMatch(/\/suspension-vc2$/)
    const res = await verify(issued.jwt)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      valid: true,
      format: 'vc+jwt',
      issuer: t.board.did,
      subject: clinician.did,
    })
  })

  it('keeps VC 1.1 JWT-VCs as they were, with the status list context that defines their entries', async () => {
    const issued = await issue(t, t.board, licenceBody(clinician.did))
    expect(issued.format).toBe('jwt_vc')
    const { header, payload } = decodeJwt(issued.jwt)
    expect(header.typ).toBe('JWT')
    expect(payload.vc['@context']).toEqual([V1, STATUS_V1])
    expect(payload.vc.credentialStatus[0].statusListCredential).toMatch(/\/revocation$/)
    expect(payload).toHaveProperty('nbf')
    expect((await verify(issued.jwt)).body).toMatchObject({ valid: true, format: 'jwt_vc' })
  })

  it('revokes a vc+jwt: its vc+jwt lists change (and the VC 1.1 ones of the group), the verifier refuses it', async () => {
    const issued = await issue(t, t.board, licenceBody(clinician.did, { format: 'vc+jwt' }))
    const res = await changeStatus(issued.id, 'revoke')
    expect(res.status).toBe(200)
    expect(res.body.lists).toEqual([
      expect.stringMatching(/\/revocation-vc2$/),
      expect.stringMatching(/\/suspension-vc2$/),
    ])
    const refused = await verify(issued.jwt)
    expect(refused.body.valid).toBe(false)
    expect(refused.body.checks.status).toMatchObject({ passed: false, code: 'revoked' })
    // Both forms publish the group's one set of bits.
    const entry = decodeJwt(issued.jwt).payload.credentialStatus[0]
    const index = Number(entry.statusListIndex)
    for (const url of [entry.statusListCredential, entry.statusListCredential.replace(/-vc2$/, '')]) {
      const list = await t.agent.app.request(new URL(url).pathname)
      const { payload } = decodeJwt(await list.text())
      const encoded = (payload.vc ?? payload).credentialSubject.encodedList as string
      const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'))
      expect((bits[index >> 3]! >> (7 - (index & 7))) & 1, url).toBe(1)
    }
  })

  it('verifies a vp+jwt of a vc+jwt, and refuses a VC 1.1 JWT-VC inside one', async () => {
    const v2 = await issue(t, t.board, licenceBody(clinician.did, { format: 'vc+jwt' }))
    const v1 = await issue(t, t.board, licenceBody(clinician.did))
    for (const [credential, valid] of [
      [v2.jwt, true],
      [v1.jwt, false],
    ] as const) {
      const { nonce, audience, requestSecret } = await nonceFor(t, t.hospital)
      const vp = await presentJwtVp({
        credentials: [credential],
        holder: clinician.did,
        kid: clinician.kid,
        signer: clinician.signer,
        format: 'vp+jwt',
        nonce,
        audience,
      })
      const res = await t.request('POST', '/v1/verify/presentation', {
        body: { presentation: vp, verifier: t.hospital.id, nonce, requestSecret },
      })
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ valid, format: 'vp+jwt', holder: clinician.did })
      // In a vp+jwt a credential is read as a vc+jwt; a VC 1.1 JWT there is malformed.
      expect(res.body.credentials[0]).toMatchObject(
        valid
          ? { format: 'vc+jwt', valid }
          : { format: 'vc+jwt', checks: { signature: { code: 'malformed' } } },
      )
    }
  })

  it('lists the issued format', async () => {
    const res = await t.request('GET', `/v1/organisations/${t.board.id}/credentials`, {
      token: t.board.token,
    })
    const formats = new Set(res.body.credentials.map((c: { format: string }) => c.format))
    expect(formats).toEqual(new Set(['jwt_vc', 'vc+jwt']))
  })
})

describe('uploaded W3C status lists', () => {
  const started = Math.floor(Date.now() / 1000)
  const url = (name: string) => `${t.agent.ctx.publicUrl}/v1/status-lists/dids/${patient.did}/${name}`
  const path = (name: string) => `/v1/status-lists/dids/${patient.did}/${name}`
  const signList = (format: 'jwt_vc' | 'vc+jwt', name: string, at = started) => {
    const list = Bitstring.create(131_072)
    list.set(3, true)
    return signBitstringStatusListCredential({
      issuer: patient.did,
      kid: patient.kid,
      alg: 'ES256K',
      signer: patient.signer,
      format,
      url: url(name),
      purpose: 'revocation',
      list,
      validFrom: new Date(at * 1000),
      ttlMs: 300_000,
    })
  }
  const put = (jwt: string, name: string, contentType: string) =>
    t.request('PUT', path(name), { raw: jwt, headers: { 'content-type': contentType } })

  it('accepts a VC-JOSE-COSE vc+jwt list and serves it as application/vc+jwt', async () => {
    const jwt = await signList('vc+jwt', 'grants-vc2')
    const res = await put(jwt, 'grants-vc2', 'application/vc+jwt')
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const got = await t.agent.app.request(path('grants-vc2'))
    expect(got.headers.get('content-type')).toBe('application/vc+jwt')
    expect(await got.text()).toBe(jwt)
  })

  it('accepts a VC 1.1 JWT list and serves it as application/jwt', async () => {
    const jwt = await signList('jwt_vc', 'grants')
    expect((await put(jwt, 'grants', 'application/jwt')).status).toBe(201)
    const got = await t.agent.app.request(path('grants'))
    expect(got.headers.get('content-type')).toBe('application/jwt')
    expect(await got.text()).toBe(jwt)
  })

  it('refuses the VC 2.0-in-a-VC-1.1-JWT list Clavis signed before ADR 0022', async () => {
    const { payload } = decodeJwt(await signList('vc+jwt', 'hybrid'))
    const { '@context': context, id, issuer, validFrom, credentialSubject, type } = payload
    const hybrid = await signJwt({
      header: { alg: 'ES256K', typ: 'JWT', kid: patient.kid },
      payload: {
        iss: patient.did,
        jti: id,
        nbf: started,
        iat: started,
        vc: { '@context': context, id, type, issuer, validFrom, credentialSubject },
      },
      signer: patient.signer,
    })
    expectError(await put(hybrid, 'hybrid', 'application/jwt'), 422, 'invalid_status_list')
  })
})
