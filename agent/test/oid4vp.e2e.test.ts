import { sha256 } from '@clavis/crypto'
import { presentSdJwtVc } from '@clavis/sd-jwt'
import { presentJwtVp, verifyByDidUrl } from '@clavis/verify'
import { type Jwk, type JwtSigner, setGlobalConfig } from '@openid4vc/oauth2'
import { Openid4vpClient } from '@openid4vc/openid4vp'
import type { Resolver } from 'did-resolver'
import { beforeAll, describe, expect, it } from 'vitest'
import { inDays, licenceClaims, patientClaims, useTestAgent } from './harness'
import { type HolderKey, holderKey, type Json } from './holders'
import { chainResolver } from './interop-kit'
import { IDENTITY_VCT, LICENCE_VCT, vpRequestOf, vpResultOf } from './oid4vc-kit'

// OpenID4VP 1.0 with DCQL, on loopback: the agent as verifier (a signed request object by reference,
// client id `decentralized_identifier:<DID>`, direct_post), and as the wallet the holder side of
// @openid4vc/openid4vp (Animo), a library we did not write, which resolves the request, checks its
// signature against the verifier's DID (our callback resolves the DID on chain) and posts the
// response. Then the refusals.

const t = useTestAgent()
let resolver: Resolver
const clinician = holderKey()
const patient = holderKey()

beforeAll(async () => {
  setGlobalConfig({ allowInsecureUrls: true })
  resolver = (await chainResolver(t)).resolver
})

const refuse = () => {
  throw new Error('not used by this wallet')
}

/** Animo's wallet; request objects verified against the DID document on chain (any assertion or authentication key). */
function animoWallet(fetchImpl: typeof fetch = fetch) {
  return new Openid4vpClient({
    callbacks: {
      hash: (data) => sha256(data),
      fetch: fetchImpl,
      signJwt: refuse,
      encryptJwe: refuse,
      decryptJwe: refuse,
      verifyJwt: async (signer: JwtSigner, jwt) => {
        if (signer.method !== 'did') return { verified: false }
        const key = await verifyByDidUrl({
          compact: jwt.compact,
          didUrl: signer.didUrl,
          alg: signer.alg,
          resolver,
          purposes: ['assertionMethod', 'authentication'],
        })
        return key ? { verified: true, signerJwk: {} as Jwk } : { verified: false }
      },
    },
  })
}

async function issueSd(org: { id: string; token: string }, type: string, claims: Json, holder: HolderKey) {
  const res = await t.request('POST', `/v1/organisations/${org.id}/credentials`, {
    token: org.token,
    body: {
      type,
      format: 'dc+sd-jwt',
      subject: holder.did,
      holderJwk: holder.jwk,
      claims,
      validUntil: inDays(365),
    },
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.jwt as string
}

const askFor = (dcql: Json) => vpRequestOf(t, t.hospital, { dcql })

const resultOf = (id: string) => vpResultOf(t, t.hospital, id)

const licenceQuery = {
  credentials: [
    {
      id: 'licence',
      format: 'dc+sd-jwt',
      meta: { vct_values: [LICENCE_VCT] },
      claims: [{ path: ['name'] }, { path: ['licenseNumber'] }],
    },
  ],
}

/** Resolves a request with the Animo wallet, presents `vp_token` built by `build`, submits; the HTTP answer. */
async function answer(
  requestUri: string,
  build: (r: { nonce: string; audience: string }) => Promise<Record<string, string[]>>,
) {
  const wallet = animoWallet()
  const parsed = wallet.parseOpenid4vpAuthorizationRequest({ authorizationRequest: requestUri })
  const resolved = await wallet.resolveOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: parsed.params,
  })
  const request = resolved.authorizationRequestPayload
  // A request by URI answered by direct_post (not the browser's Digital Credentials API).
  if (!('response_uri' in request) || typeof request.response_uri !== 'string')
    throw new Error('expected a direct_post request with a response_uri')
  const vp_token = await build({ nonce: request.nonce, audience: resolved.client.effective })
  const response = await wallet.createOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request,
    authorizationResponsePayload: { vp_token },
  })
  const submitted = await wallet.submitOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: { response_uri: request.response_uri },
    authorizationResponsePayload: response.authorizationResponsePayload,
  })
  return { resolved, status: submitted.response.status, body: (await submitted.response.json()) as Json }
}

describe('OpenID4VP: a wallet we did not write (Animo) presents to the hospital', () => {
  it('check-in: the signed request resolves to the hospital DID; an SD-JWT licence with only what was asked is accepted', async () => {
    const licence = await issueSd(t.board, 'ClinicianLicenseCredential', licenceClaims(), clinician)
    const request = await askFor(licenceQuery)
    expect(request.requestUri).toMatch(/^openid4vp:\/\/\?/)
    expect(request.clientId).toBe(`decentralized_identifier:${t.hospital.did}`)
    const { resolved, status, body } = await answer(request.requestUri, async ({ nonce, audience }) => ({
      licence: [
        await presentSdJwtVc({
          credential: licence,
          // The holder discloses one claim more than asked: the verifier keeps only what it asked for.
          disclose: ['name', 'licenseNumber', 'jurisdiction'],
          keyBinding: { alg: 'ES256K', signer: clinician.signer, nonce, audience },
        }),
      ],
    }))
    expect(resolved.client.prefix).toBe('decentralized_identifier')
    expect(resolved.client.identifier).toBe(t.hospital.did)
    expect(status, JSON.stringify(body)).toBe(200)
    const result = await resultOf(request.id)
    expect(result.state).toBe('responded')
    expect(result.result.valid).toBe(true)
    expect(result.result.dcqlSatisfied).toBe(true)
    const [presented] = result.result.presentations.licence
    expect(presented.holder).toBe(clinician.did)
    expect(presented.credentials[0]).toMatchObject({ valid: true, issuer: t.board.did })
    expect(Object.keys(presented.claims).sort()).toEqual(['licenseNumber', 'name'])
    // The request object is gone once answered.
    expect((await fetch(`${t.url}/verifiers/${t.hospital.id}/requests/${request.id}`)).status).toBe(404)
  })

  it('a JWT VP of a JWT-VC licence, asked with type_values and a credentialSubject claim path', async () => {
    const issued = await t.request('POST', `/v1/organisations/${t.board.id}/credentials`, {
      token: t.board.token,
      body: {
        type: 'ClinicianLicenseCredential',
        subject: clinician.did,
        claims: licenceClaims(),
        validUntil: inDays(90),
      },
    })
    const request = await askFor({
      credentials: [
        {
          id: 'licence',
          format: 'jwt_vc_json',
          meta: { type_values: [['ClinicianLicenseCredential']] },
          claims: [{ path: ['credentialSubject', 'licenseNumber'] }],
        },
      ],
    })
    const { status, body } = await answer(request.requestUri, async ({ nonce, audience }) => ({
      licence: [
        await presentJwtVp({
          credentials: [issued.body.jwt],
          holder: clinician.did,
          kid: clinician.kid,
          signer: clinician.signer,
          nonce,
          audience,
        }),
      ],
    }))
    expect(status, JSON.stringify(body)).toBe(200)
    const result = await resultOf(request.id)
    expect(result.result.valid).toBe(true)
    expect(result.result.presentations.licence[0].claims).toEqual({
      credentialSubject: { licenseNumber: 'A-123456' },
    })
  })
})

describe('OpenID4VP refusals', () => {
  it('a vp_token missing a required credential of the query is refused and recorded as not satisfied', async () => {
    const licence = await issueSd(t.board, 'ClinicianLicenseCredential', licenceClaims(), clinician)
    const request = await askFor({
      credentials: [
        ...licenceQuery.credentials,
        {
          id: 'identity',
          format: 'dc+sd-jwt',
          meta: { vct_values: [IDENTITY_VCT] },
          claims: [{ path: ['birthDate'] }],
        },
      ],
    })
    const { status, body } = await answer(request.requestUri, async ({ nonce, audience }) => ({
      licence: [
        await presentSdJwtVc({
          credential: licence,
          disclose: ['name', 'licenseNumber'],
          keyBinding: { alg: 'ES256K', signer: clinician.signer, nonce, audience },
        }),
      ],
    }))
    expect(status).toBe(400)
    expect(body.error).toBe('invalid_request')
    const result = await resultOf(request.id)
    expect(result.result).toMatchObject({ valid: false, dcqlSatisfied: false })
  })

  it('a presentation for another audience or nonce does not verify; a second response is refused', async () => {
    const identity = await issueSd(t.hospital, 'PatientIdentityCredential', patientClaims(), patient)
    const query = {
      credentials: [
        {
          id: 'identity',
          format: 'dc+sd-jwt',
          meta: { vct_values: [IDENTITY_VCT] },
          claims: [{ path: ['name'] }],
        },
      ],
    }
    const wrongAudience = await askFor(query)
    const first = await answer(wrongAudience.requestUri, async ({ nonce }) => ({
      identity: [
        await presentSdJwtVc({
          credential: identity,
          disclose: ['name'],
          keyBinding: { alg: 'ES256K', signer: patient.signer, nonce, audience: t.hospital.did },
        }),
      ],
    }))
    expect(first.status).toBe(400)
    const recorded = await resultOf(wrongAudience.id)
    expect(recorded.result.presentations.identity[0].checks.nonceAudience).toMatchObject({ passed: false })
    expect(recorded.result.presentations.identity[0].claims).toEqual({})

    const wrongNonce = await askFor(query)
    const second = await answer(wrongNonce.requestUri, async ({ audience }) => ({
      identity: [
        await presentSdJwtVc({
          credential: identity,
          disclose: ['name'],
          keyBinding: { alg: 'ES256K', signer: patient.signer, nonce: 'another-nonce-entirely', audience },
        }),
      ],
    }))
    expect(second.status).toBe(400)

    // The request was answered: posting to its response URI again is refused, whatever is sent.
    const again = await fetch(`${t.url}/verifiers/${t.hospital.id}/requests/${wrongNonce.id}/response`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify({ identity: ['x'] }), state: wrongNonce.id }),
    })
    expect(again.status).toBe(400)
    expect(((await again.json()) as Json).error).toBe('invalid_request')
  })

  /** A request for a licence and the clinician's valid answer to it, made with Animo's wallet (not sent). */
  async function validLicenceAnswer() {
    const licence = await issueSd(t.board, 'ClinicianLicenseCredential', licenceClaims(), clinician)
    const request = await askFor(licenceQuery)
    const wallet = animoWallet()
    const parsed = wallet.parseOpenid4vpAuthorizationRequest({ authorizationRequest: request.requestUri })
    const resolved = await wallet.resolveOpenId4vpAuthorizationRequest({
      authorizationRequestPayload: parsed.params,
    })
    const payload = resolved.authorizationRequestPayload as {
      nonce: string
      response_uri: string
      state: string
    }
    const vp_token = JSON.stringify({
      licence: [
        await presentSdJwtVc({
          credential: licence,
          disclose: ['licenseNumber'],
          keyBinding: {
            alg: 'ES256K',
            signer: clinician.signer,
            nonce: payload.nonce,
            audience: resolved.client.effective,
          },
        }),
      ],
    })
    return { request, payload, vp_token }
  }

  it('the same valid answer sent four times at once is taken once', async () => {
    const { request, payload, vp_token } = await validLicenceAnswer()
    const statuses = await Promise.all(
      Array.from({ length: 4 }, () =>
        fetch(payload.response_uri, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ vp_token, state: payload.state }),
        }).then((r) => r.status),
      ),
    )
    expect(statuses.sort()).toEqual([200, 400, 400, 400])
    expect((await resultOf(request.id)).result.valid).toBe(true)
  })

  it('a response for another request (state) or an expired one is refused', async () => {
    const a = await askFor(licenceQuery)
    const b = await askFor(licenceQuery)
    const crossed = await fetch(`${t.url}/verifiers/${t.hospital.id}/requests/${a.id}/response`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify({ licence: ['x'] }), state: b.id }),
    })
    expect(crossed.status).toBe(400)
    expect(((await crossed.json()) as Json).error).toBe('invalid_request')
    expect((await resultOf(a.id)).state).toBe('pending')
    // Expire it in the database, as time would.
    await t.agent.ctx.db.query(
      `UPDATE clavis_vp_request SET expires_at = '2000-01-01T00:00:00.000Z' WHERE id = ${t.databaseUrl ? '$1' : '?'}`,
      [b.id],
    )
    const late = await fetch(`${t.url}/verifiers/${t.hospital.id}/requests/${b.id}/response`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify({ licence: ['x'] }), state: b.id }),
    })
    expect(late.status).toBe(400)
    expect(((await late.json()) as Json).error_description).toMatch(/expired/)
    expect((await resultOf(b.id)).state).toBe('expired')
  })

  it('a response taken but never verified (the agent killed while verifying) can be sent again after a minute', async () => {
    const { request, payload, vp_token } = await validLicenceAnswer()
    const post = () =>
      fetch(payload.response_uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ vp_token, state: payload.state }),
      })
    // What a kill between taking the response and storing its result leaves behind.
    const p = t.databaseUrl ? ['$1', '$2'] : ['?', '?']
    const mark = (at: string) =>
      t.agent.ctx.db.query(
        `UPDATE clavis_vp_request SET state = 'responded', responded_at = ${p[0]}, result = NULL WHERE id = ${p[1]}`,
        [at, request.id],
      )
    // Just taken: it may still be being verified, so another response is refused.
    await mark(new Date().toISOString())
    expect((await post()).status).toBe(400)
    // Abandoned for over a minute: the wallet's answer is taken and verified.
    await mark(new Date(Date.now() - 120_000).toISOString())
    const second = await post()
    expect(second.status, await second.text()).toBe(200)
    expect((await resultOf(request.id)).result.valid).toBe(true)
    // And answered now: no third time.
    expect((await post()).status).toBe(400)
  })

  it("the wallet refuses a request object that is unsigned or signed by a key not of the verifier's DID", async () => {
    const request = await askFor(licenceQuery)
    const jwt = await (await fetch(`${t.url}/verifiers/${t.hospital.id}/requests/${request.id}`)).text()
    const [h, p] = jwt.split('.')
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'oauth-authz-req+jwt' })).toString('base64url')}.${p}.`
    const stranger = holderKey()
    const header = {
      ...JSON.parse(Buffer.from(h!, 'base64url').toString()),
      kid: `${t.hospital.did}#controllerKey`,
    }
    const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${p}`
    const forged = `${input}.${await stranger.signer(input)}`
    for (const served of [unsigned, forged]) {
      const wallet = animoWallet(async (url, init) =>
        String(url).includes('/requests/')
          ? new Response(served, { headers: { 'content-type': 'application/oauth-authz-req+jwt' } })
          : fetch(url, init),
      )
      const parsed = wallet.parseOpenid4vpAuthorizationRequest({ authorizationRequest: request.requestUri })
      await expect(
        wallet.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params }),
      ).rejects.toThrow()
    }
  })

  it('staff: a DCQL query that is not one, or asks for a format Clavis does not verify, is invalid_request', async () => {
    for (const dcql of [
      { credentials: [] },
      { credentials: [{ id: 'x', format: 'mso_mdoc', meta: { doctype_value: 'org.iso.18013.5.1.mDL' } }] },
      { nonsense: true },
    ]) {
      const res = await t.request('POST', `/v1/organisations/${t.hospital.id}/oid4vp/requests`, {
        token: t.hospital.token,
        body: { dcql },
      })
      expect(res.status, JSON.stringify(dcql)).toBe(400)
      expect(res.body.code).toBe('invalid_request')
    }
    const other = await t.request('GET', `/v1/organisations/${t.board.id}/oid4vp/requests/nope`, {
      token: t.hospital.token,
    })
    expect(other.status).toBe(403)
  })
})

describe('OpenID4VP endpoints under hostile input', () => {
  it('answer odd responses with a 4xx OAuth error body, never a 5xx; the request stays open', async () => {
    const request = await askFor(licenceQuery)
    const url = `${t.url}/verifiers/${t.hospital.id}/requests/${request.id}/response`
    const bodies: [string, string][] = [
      ['application/x-www-form-urlencoded', ''],
      ['application/x-www-form-urlencoded', `state=${request.id}`],
      ['application/x-www-form-urlencoded', `vp_token=not-json&state=${request.id}`],
      ['application/x-www-form-urlencoded', `vp_token=%7B%7D&state=${request.id}`],
      [
        'application/x-www-form-urlencoded',
        `vp_token=${encodeURIComponent('{"licence":[1,2]}')}&state=${request.id}`,
      ],
      [
        'application/x-www-form-urlencoded',
        `vp_token=${encodeURIComponent('{"other":["a.b.c"]}')}&state=${request.id}`,
      ],
      ['application/x-www-form-urlencoded', `response=a.b.c.d.e&state=${request.id}`],
      ['application/x-www-form-urlencoded', `vp_token=%00&state=%00`],
      ['application/json', JSON.stringify({ vp_token: { licence: ['x'] }, state: request.id })],
      ['text/plain', 'x'],
    ]
    for (const [type, body] of bodies) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body })
      expect(res.status, body).toBeGreaterThanOrEqual(400)
      expect(res.status, body).toBeLessThan(500)
      expect(typeof ((await res.json()) as Json).error, body).toBe('string')
    }
    // Junk did not use the request up: the holder can still answer it.
    expect((await resultOf(request.id)).state).toBe('pending')
    expect((await fetch(`${t.url}/verifiers/${t.hospital.id}/requests/${request.id}`)).status).toBe(200)
    for (const path of [
      `/verifiers/${t.hospital.id}/requests/nope`,
      '/verifiers/nope/requests/nope',
      `/verifiers/nope/requests/${request.id}`,
    ]) {
      expect((await fetch(`${t.url}${path}`)).status, path).toBe(404)
    }
    const nowhere = await fetch(`${t.url}/verifiers/${t.hospital.id}/requests/nope/response`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'vp_token=%7B%7D',
    })
    expect(nowhere.status).toBe(404)
  })
})
