import { beforeAll, describe, expect, it } from 'vitest'
import { expectError, issue, licenceBody } from './api'
import { CLINICIAN_DID, licenceClaims, PATIENT_DID, patientClaims, useTestAgent } from './harness'

// The HTTP API end to end: issuing and listing JWT-VCs, verifying them, and the trust list.

const t = useTestAgent()

const licence = (overrides: Record<string, unknown> = {}) => licenceBody(CLINICIAN_DID, overrides)
const issueLicence = () => issue(t, t.board, licence())

/** Re-encodes the JWT payload with one claim changed; the signature no longer matches. */
function tamper(jwt: string): string {
  const [h, p, s] = jwt.split('.')
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8'))
  payload.vc.credentialSubject.licenseNumber = 'Z-999999'
  return [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.')
}

describe('issuing credentials', () => {
  const path = () => `/v1/organisations/${t.board.id}/credentials`

  it('the board issues a licence (201, jwt)', async () => {
    const res = await t.request('POST', path(), { token: t.board.token, body: licence() })
    expect(res.status).toBe(201)
    expect(res.body.jwt.split('.')).toHaveLength(3)
    expect(res.body).toMatchObject({ type: 'ClinicianLicenseCredential', issuer: t.board.did })
  })

  it('the hospital issues a patient identity (201)', async () => {
    const res = await t.request('POST', `/v1/organisations/${t.hospital.id}/credentials`, {
      token: t.hospital.token,
      body: { type: 'PatientIdentityCredential', subject: PATIENT_DID, claims: patientClaims() },
    })
    expect(res.status).toBe(201)
    expect(res.body.issuer).toBe(t.hospital.did)
  })

  it('a board cannot issue a patient identity (403)', async () => {
    const res = await t.request('POST', path(), {
      token: t.board.token,
      body: { type: 'PatientIdentityCredential', subject: PATIENT_DID, claims: patientClaims() },
    })
    expectError(res, 403, 'forbidden')
  })

  it('refuses a jurisdiction that is not a code (422, claims.jurisdiction)', async () => {
    const res = await t.request('POST', path(), {
      token: t.board.token,
      body: licence({ claims: { ...licenceClaims(), jurisdiction: 'California' } }),
    })
    expectError(res, 422, 'invalid_claims', 'claims.jurisdiction')
  })

  it('refuses a licence without a name (422, claims.name)', async () => {
    const { name: _, ...claims } = licenceClaims()
    const res = await t.request('POST', path(), { token: t.board.token, body: licence({ claims }) })
    expectError(res, 422, 'invalid_claims', 'claims.name')
  })

  it('refuses an unknown claim, naming it', async () => {
    const res = await t.request('POST', path(), {
      token: t.board.token,
      body: licence({ claims: { ...licenceClaims(), favouriteColour: 'blue' } }),
    })
    expect([400, 422]).toContain(res.status)
    expect(res.body.path).toMatch(/favouriteColour/)
  })

  it('refuses an unknown top-level field, naming it', async () => {
    const res = await t.request('POST', path(), { token: t.board.token, body: licence({ extra: 1 }) })
    expectError(res, 400, 'invalid_request', 'extra')
  })

  it('refuses a licence without validUntil (422)', async () => {
    const res = await t.request('POST', path(), {
      token: t.board.token,
      body: licence({ validUntil: undefined }),
    })
    expectError(res, 422, 'invalid_claims', 'validUntil')
  })

  it('refuses a subject that is not a DID (400, subject)', async () => {
    const res = await t.request('POST', path(), { token: t.board.token, body: licence({ subject: 'bob' }) })
    expectError(res, 400, 'invalid_request', 'subject')
  })

  it('refuses an unknown credential type (400, type)', async () => {
    const res = await t.request('POST', path(), { token: t.board.token, body: licence({ type: 'Diploma' }) })
    expectError(res, 400, 'invalid_request', 'type')
  })

  it('lists issued credentials newest first with the total', async () => {
    const a = await issueLicence()
    const b = await issueLicence()
    const res = await t.request('GET', path(), { token: t.board.token })
    expect(res.status).toBe(200)
    expect(res.body.total).toBeGreaterThanOrEqual(2)
    expect(res.body.credentials.length).toBe(Math.min(res.body.total, 50))
    const ids = res.body.credentials.map((c: { id: string }) => c.id)
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id))
    const times = res.body.credentials.map((c: { issuedAt: string }) => c.issuedAt)
    expect([...times].sort().reverse()).toEqual(times)
  })

  it('pages with limit', async () => {
    const res = await t.request('GET', `${path()}?limit=1`, { token: t.board.token })
    expect(res.status).toBe(200)
    expect(res.body.credentials).toHaveLength(1)
    expect(res.body.total).toBeGreaterThan(1)
  })

  it('refuses limit=abc with its path', async () => {
    const res = await t.request('GET', `${path()}?limit=abc`, { token: t.board.token })
    expectError(res, 400, 'invalid_request', 'limit')
  })

  it('refuses limit=1e2 and an empty limit', async () => {
    for (const q of ['limit=1e2', 'limit=', 'offset=0x10']) {
      const res = await t.request('GET', `${path()}?${q}`, { token: t.board.token })
      expectError(res, 400, 'invalid_request', q.split('=')[0])
    }
  })

  it('refuses limit=0 (it would mean no limit)', async () => {
    const res = await t.request('GET', `${path()}?limit=0`, { token: t.board.token })
    expectError(res, 400, 'invalid_request', 'limit')
  })

  it('refuses a reissueRequired that is not true or false', async () => {
    const res = await t.request('GET', `${path()}?reissueRequired=yes`, { token: t.board.token })
    expectError(res, 400, 'invalid_request', 'reissueRequired')
  })

  it('gets one credential', async () => {
    const issued = await issueLicence()
    const res = await t.request('GET', `${path()}/${issued.id}`, { token: t.board.token })
    expect(res.status).toBe(200)
    expect(res.body.jwt).toBe(issued.jwt)
  })

  it('answers 404 for an unknown credential id', async () => {
    expectError(await t.request('GET', `${path()}/nope`, { token: t.board.token }), 404, 'not_found')
  })

  it("another organisation cannot get the board's credential (403)", async () => {
    const issued = await issueLicence()
    const res = await t.request('GET', `${path()}/${issued.id}`, { token: t.hospital.token })
    expectError(res, 403, 'forbidden')
  })

  it('listing needs a token (401)', async () => {
    expectError(await t.request('GET', path()), 401, 'unauthorized')
  })
})

describe('POST /v1/verify', () => {
  let jwt: string
  beforeAll(async () => {
    jwt = (await issueLicence()).jwt
  })

  it('a licence verifies for the hospital, every check passed', async () => {
    const res = await t.request('POST', '/v1/verify', { body: { credential: jwt, verifier: t.hospital.id } })
    expect(res.status).toBe(200)
    expect(res.body.valid).toBe(true)
    expect(res.body.issuer).toBe(t.board.did)
    for (const check of Object.values(res.body.checks)) expect(check).toEqual({ passed: true })
  })

  it('without a verifier no issuer is trusted', async () => {
    const res = await t.request('POST', '/v1/verify', { body: { credential: jwt } })
    expect(res.status).toBe(200)
    expect(res.body.valid).toBe(false)
    expect(res.body.checks.issuerTrust.code).toBe('untrusted_issuer')
    expect(res.body.checks.signature.passed).toBe(true)
  })

  it('an unknown verifier is 404', async () => {
    const res = await t.request('POST', '/v1/verify', { body: { credential: jwt, verifier: 'nope' } })
    expectError(res, 404, 'not_found')
  })

  it('a tampered payload fails the signature check', async () => {
    const res = await t.request('POST', '/v1/verify', {
      body: { credential: tamper(jwt), verifier: t.hospital.id },
    })
    expect(res.status).toBe(200)
    expect(res.body.valid).toBe(false)
    expect(res.body.checks.signature).toMatchObject({ passed: false, code: 'invalid_signature' })
  })

  it('a flipped character in the payload is not valid', async () => {
    const [h, p, s] = jwt.split('.')
    const i = Math.floor(p!.length / 2)
    const flipped = `${p!.slice(0, i)}${p![i] === 'A' ? 'B' : 'A'}${p!.slice(i + 1)}`
    const res = await t.request('POST', '/v1/verify', {
      body: { credential: [h, flipped, s].join('.'), verifier: t.hospital.id },
    })
    expect(res.status).toBe(200)
    expect(res.body.valid).toBe(false)
    expect(res.body.checks.signature.passed).toBe(false)
  })

  it('garbage is not valid (malformed), not an error', async () => {
    const res = await t.request('POST', '/v1/verify', { body: { credential: 'abc' } })
    expect(res.status).toBe(200)
    expect(res.body.valid).toBe(false)
    expect(res.body.checks.signature).toMatchObject({ passed: false, code: 'malformed' })
  })

  it('a verifier id longer than 64 characters is 400 with its path', async () => {
    const res = await t.request('POST', '/v1/verify', { body: { credential: jwt, verifier: 'x'.repeat(65) } })
    expectError(res, 400, 'invalid_request', 'verifier')
  })

  it('a missing credential field is 400 with its path', async () => {
    const res = await t.request('POST', '/v1/verify', { body: { verifier: t.hospital.id } })
    expectError(res, 400, 'invalid_request', 'credential')
  })
})

describe('trust list', () => {
  const path = () => `/v1/organisations/${t.hospital.id}/trust`
  const other = 'did:ethr:0x7a69:0x5b2e4b0d8c2b4a3b9f1e7d6c5a4b3c2d1e0f9a8b'

  it('the demo hospital trusts the board for licences', async () => {
    const res = await t.request('GET', path(), { token: t.hospital.token })
    expect(res.status).toBe(200)
    expect(res.body.entries).toEqual(
      expect.arrayContaining([{ issuer: t.board.did, types: ['ClinicianLicenseCredential'] }]),
    )
  })

  it('adds and removes an issuer', async () => {
    const added = await t.request('POST', path(), {
      token: t.hospital.token,
      body: { issuer: other, types: ['PatientIdentityCredential'] },
    })
    expect(added.status).toBe(201)
    expect(added.body.entries).toContainEqual({ issuer: other, types: ['PatientIdentityCredential'] })
    const removed = await t.request('DELETE', `${path()}/${encodeURIComponent(other)}`, {
      token: t.hospital.token,
    })
    expect(removed.status).toBe(200)
    expect(removed.body.entries.map((e: { issuer: string }) => e.issuer)).not.toContain(other)
  })

  it('removing an absent issuer is 404', async () => {
    const res = await t.request('DELETE', `${path()}/${encodeURIComponent(other)}`, {
      token: t.hospital.token,
    })
    expectError(res, 404, 'not_found')
  })

  it('removing with an unknown type is 400', async () => {
    const res = await t.request('DELETE', `${path()}/${encodeURIComponent(t.board.did)}?type=Diploma`, {
      token: t.hospital.token,
    })
    expectError(res, 400, 'invalid_request')
  })

  it('decodes the issuer once: a percent-encoded DID is not decoded twice', async () => {
    const res = await t.request('DELETE', `${path()}/${encodeURIComponent('did:web:x%25zz')}`, {
      token: t.hospital.token,
    })
    expectError(res, 404, 'not_found')
    expect(res.body.message).toContain('did:web:x%25zz')
  })

  it('removing a non-DID is 400 invalid_did', async () => {
    const res = await t.request('DELETE', `${path()}/bob`, { token: t.hospital.token })
    expectError(res, 400, 'invalid_did')
  })

  it('adding a bad type is 400 with its path', async () => {
    const res = await t.request('POST', path(), {
      token: t.hospital.token,
      body: { issuer: other, types: ['Diploma'] },
    })
    expectError(res, 400, 'invalid_request', 'types.0')
  })

  it("the board cannot read the hospital's trust list (403)", async () => {
    expectError(await t.request('GET', path(), { token: t.board.token }), 403, 'forbidden')
  })
})
