import { issueSdJwtVc, presentSdJwtVc } from '@clavis/sd-jwt'
import { signTokenStatusListJwt, TOKEN_STATUS, TokenStatusList } from '@clavis/status'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestAgent, type TestAgent } from './harness'
import { type HolderKey, holderKey } from './holders'

// A patient's wallet publishes its own grant status list on the agent, then grants a clinician
// access with an SD-JWT VC that points into it; the hospital sees the revocation once uploaded.

const ENTRIES = 131_072
const GRANT_INDEX = 4242

describe('status lists uploaded by a DID', () => {
  let t: TestAgent
  const patient = holderKey()
  const clinician = holderKey()
  const stranger = holderKey()
  let listUrl: string
  let path: string
  const started = Math.floor(Date.now() / 1000)

  const signList = (o: {
    by?: HolderKey
    issuer?: string
    uri?: string
    iat: number
    revoked?: number[]
  }) => {
    const list = TokenStatusList.create({ size: ENTRIES, bits: 2 })
    for (const i of o.revoked ?? []) list.set(i, TOKEN_STATUS.INVALID)
    const by = o.by ?? patient
    return signTokenStatusListJwt({
      issuer: o.issuer ?? by.did,
      kid: by.kid,
      alg: 'ES256K',
      signer: by.signer,
      uri: o.uri ?? listUrl,
      list,
      iat: new Date(o.iat * 1000),
      ttlSeconds: 300,
      expiresInSeconds: 86_400,
    })
  }
  const upload = (jwt: string, contentType = 'application/statuslist+jwt') =>
    t.request('PUT', path, { raw: jwt, headers: { 'content-type': contentType } })
  const served = async () => {
    const res = await t.agent.app.request(path)
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() }
  }

  beforeAll(async () => {
    t = await startTestAgent()
    listUrl = `${t.agent.ctx.publicUrl}/v1/status-lists/dids/${patient.did}/grants`
    path = new URL(listUrl).pathname
  })
  afterAll(async () => {
    await t?.stop()
  })

  it('nothing is served before the first upload (404)', async () => {
    expect((await served()).status).toBe(404)
  })

  it('the patient uploads a signed 131,072-entry list → 201, and it is served as is', async () => {
    const jwt = await signList({ iat: started - 60 })
    const res = await upload(jwt)
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ url: listUrl, issuedAt: started - 60 })
    const got = await served()
    expect(got.status).toBe(200)
    expect(got.type).toBe('application/statuslist+jwt')
    expect(got.body).toBe(jwt)
  })

  it('a list signed by another key in the patient’s name → 422 invalid_status_list', async () => {
    const jwt = await signList({ by: stranger, issuer: patient.did, iat: started })
    const before = (await served()).body
    const res = await upload(jwt)
    expect(res.status).toBe(422)
    expect(res.body.code).toBe('invalid_status_list')
    expect((await served()).body).toBe(before)
  })

  it("a list issued by another DID uploaded under the patient's URL → 422 invalid_status_list", async () => {
    const res = await upload(await signList({ by: stranger, iat: started }))
    expect(res.status).toBe(422)
    expect(res.body.code).toBe('invalid_status_list')
  })

  it('an older list → 409 stale_status_list, and the stored one is unchanged', async () => {
    const before = (await served()).body
    const res = await upload(await signList({ iat: started - 120 }))
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('stale_status_list')
    expect((await served()).body).toBe(before)
  })

  it('a list naming another URL → 422 invalid_status_list', async () => {
    const res = await upload(await signList({ iat: started, uri: `${listUrl}-other` }))
    expect(res.status).toBe(422)
    expect(res.body.code).toBe('invalid_status_list')
  })

  it('a garbage body → 422 invalid_status_list', async () => {
    const res = await upload('this.is.not-a-status-list')
    expect(res.status).toBe(422)
    expect(res.body.code).toBe('invalid_status_list')
  })

  it('a wrong content type → 415 unsupported_media_type', async () => {
    const res = await upload(await signList({ iat: started }), 'text/plain')
    expect(res.status).toBe(415)
    expect(res.body.code).toBe('unsupported_media_type')
  })

  it('an access grant pointing into the list verifies once trusted, and is revoked after the next upload', async () => {
    const grant = await issueSdJwtVc({
      type: 'AccessGrantCredential',
      issuer: patient.did,
      kid: patient.kid,
      alg: 'ES256K',
      signer: patient.signer,
      subject: clinician.did,
      claims: { audience: t.hospital.did, scope: ['patient/Observation.rs'], purposeOfUse: 'TREAT' },
      holderJwk: clinician.jwk,
      validFrom: new Date(),
      validUntil: new Date(Date.now() + 30 * 86_400_000),
      status: { status_list: { idx: GRANT_INDEX, uri: listUrl } },
      jti: 'urn:uuid:6f1c1e0a-3b8e-4b8a-9d55-2f1a0c7e9b11',
    })
    const present = async () => {
      const { nonce, audience, requestSecret } = (
        await t.request('POST', `/v1/organisations/${t.hospital.id}/presentation-requests`, {
          token: t.hospital.token,
          body: {},
        })
      ).body
      const presentation = await presentSdJwtVc({
        credential: grant,
        disclose: [],
        keyBinding: { alg: 'ES256K', signer: clinician.signer, nonce, audience },
      })
      return (
        await t.request('POST', '/v1/verify/presentation', {
          body: { presentation, nonce, requestSecret, verifier: t.hospital.id },
        })
      ).body
    }

    const untrusted = await present()
    expect(untrusted.valid).toBe(false)
    expect(untrusted.credentials[0].checks.issuerTrust).toMatchObject({ code: 'untrusted_issuer' })
    // Nothing is fetched for an issuer the verifier does not trust.
    expect(untrusted.credentials[0].checks.status).toMatchObject({ passed: false, code: 'not_checked' })

    const trusted = await t.request('POST', `/v1/organisations/${t.hospital.id}/trust`, {
      token: t.hospital.token,
      body: { issuer: patient.did, types: ['AccessGrantCredential'] },
    })
    expect(trusted.status).toBe(201)
    const ok = await present()
    expect(ok.valid).toBe(true)
    expect(ok.credentials[0]).toMatchObject({ type: 'AccessGrantCredential', issuer: patient.did })
    expect(ok.disclosed.purposeOfUse).toBe('TREAT')

    const newer = await upload(await signList({ iat: started, revoked: [GRANT_INDEX] }))
    expect(newer.status).toBe(201)
    // No t.agent.ctx.status.clear() here: the agent must not serve its cached copy of the old list.
    const revoked = await present()
    expect(revoked.valid).toBe(false)
    expect(revoked.credentials[0].checks.status).toMatchObject({ passed: false, code: 'revoked' })
  })
})
