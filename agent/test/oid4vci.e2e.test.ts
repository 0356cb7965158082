import {
  createSigner,
  generatePrivateKey,
  publicKeyOf,
  publicKeyToJwk,
  randomBytes,
  sha256,
} from '@clavis/crypto'
import { didJwkOf } from '@clavis/did'
import { presentSdJwtVc } from '@clavis/sd-jwt'
import { presentJwtVp } from '@clavis/verify'
import { clientAuthenticationAnonymous, type JwtSigner, setGlobalConfig } from '@openid4vc/oauth2'
import { Openid4vciClient } from '@openid4vc/openid4vci'
import { beforeAll, describe, expect, it } from 'vitest'
import { nonceFor } from './api'
import { inDays, licenceClaims, patientClaims, useTestAgent } from './harness'
import { decodeJwt, type HolderKey, holderKey, type Json, signJwt } from './holders'
import { offerOf } from './oid4vc-kit'

// OpenID4VCI 1.0, pre-authorized code flow with a transaction code, on loopback: the agent's real
// HTTP server as issuer, and as the wallet the client side of @openid4vc/openid4vci (Animo), a
// library we did not write. Then the spec's refusals, each with its OAuth error.

const t = useTestAgent()

/** An Animo wallet whose key is a did:ethr key of `holder` (proofs with `kid`, ES256K). */
function animoWallet(holders: HolderKey[]) {
  const client = new Openid4vciClient({
    callbacks: {
      hash: (data) => sha256(data),
      generateRandom: (n) => randomBytes(n),
      clientAuthentication: clientAuthenticationAnonymous(),
      fetch,
      signJwt: async (signer: JwtSigner, { header, payload }) => {
        const holder = holders.find((h) => signer.method === 'did' && h.kid === signer.didUrl)
        if (!holder) throw new Error('the wallet has no such key')
        return {
          jwt: await signJwt({ header, payload, signer: holder.signer }),
          signerJwk: { ...holder.jwk },
        }
      },
    },
  })
  return client
}

const makeOffer = (body: Record<string, unknown> = {}) =>
  offerOf(t, t.board, {
    type: 'ClinicianLicenseCredential',
    claims: licenceClaims(),
    validUntil: inDays(365),
    ...body,
  })

const issuerOf = () => `${t.url}/issuers/${t.board.id}`
const codeOf = (offer: { credentialOffer: Json }): string =>
  offer.credentialOffer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code']

async function token(form: Record<string, string>) {
  const res = await fetch(`${issuerOf()}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      ...form,
    }),
  })
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers }
}

async function cNonce(): Promise<string> {
  const res = await fetch(`${issuerOf()}/nonce`, { method: 'POST' })
  expect(res.headers.get('cache-control')).toBe('no-store')
  return ((await res.json()) as { c_nonce: string }).c_nonce
}

async function proof(holder: HolderKey, claims: Record<string, unknown>) {
  return signJwt({
    header: { alg: 'ES256K', typ: 'openid4vci-proof+jwt', kid: holder.kid },
    payload: { aud: issuerOf(), iat: Math.floor(Date.now() / 1000), ...claims },
    signer: holder.signer,
  })
}

async function credentialRequest(accessToken: string | undefined, body: Record<string, unknown>) {
  const res = await fetch(`${issuerOf()}/credential`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
    },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers }
}

beforeAll(() => {
  // The agent runs on http://127.0.0.1: the library refuses http URLs unless told (tests and loopback only).
  setGlobalConfig({ allowInsecureUrls: true })
})

describe('OpenID4VCI: a wallet we did not write (Animo) receives a licence', () => {
  it('by reference: offer → metadata → token with tx code → nonce → proof → JWT-VC that verifies', async () => {
    const offer = await makeOffer()
    expect(offer.offerUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/)
    expect(offer.txCode).toMatch(/^\d{6}$/)
    const clinician = holderKey()
    const wallet = animoWallet([clinician])
    const credentialOffer = await wallet.resolveCredentialOffer(offer.offerUri)
    expect(credentialOffer.credential_issuer).toBe(issuerOf())
    const issuerMetadata = await wallet.resolveIssuerMetadata(credentialOffer.credential_issuer)
    expect(issuerMetadata.originalDraftVersion).toBe('V1')
    const { accessTokenResponse } = await wallet.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer,
      issuerMetadata,
      txCode: offer.txCode,
    })
    const { c_nonce } = await wallet.requestNonce({ issuerMetadata })
    const configurationId = 'ClinicianLicenseCredential_jwt_vc_json'
    const signer = { method: 'did', alg: 'ES256K', didUrl: clinician.kid } as const
    const { jwt } = await wallet.createCredentialRequestJwtProof({
      issuerMetadata,
      credentialConfigurationId: configurationId,
      signer,
      nonce: c_nonce,
    })
    const { credentialResponse } = await wallet.retrieveCredentials({
      issuerMetadata,
      accessToken: accessTokenResponse.access_token,
      credentialConfigurationId: configurationId,
      proofs: { jwt: [jwt] },
    })
    const credential = (credentialResponse.credentials as { credential: string }[])[0]!.credential
    const { payload } = decodeJwt(credential)
    expect(payload.iss).toBe(t.board.did)
    expect(payload.sub).toBe(clinician.did)
    expect(payload.vc.type).toEqual(['VerifiableCredential', 'ClinicianLicenseCredential'])
    const verified = await t.request('POST', '/v1/verify', {
      body: { credential, verifier: t.hospital.id },
    })
    expect(verified.body.valid, JSON.stringify(verified.body.checks)).toBe(true)
    const status = await t.request('GET', `/v1/organisations/${t.board.id}/offers/${offer.id}`, {
      token: t.board.token,
    })
    expect(status.body).toMatchObject({ state: 'redeemed', issued: [{ configurationId }] })
    // The offer is used: by reference it is gone.
    expect((await fetch(`${issuerOf()}/offers/${offer.id}`)).status).toBe(404)
  })

  it('by value, as SD-JWT VC: bound to the proven key (cnf) and presentable; two proofs give two unlinkable copies', async () => {
    const offer = await makeOffer({ formats: ['dc+sd-jwt'] })
    const keys = [holderKey(), holderKey()]
    const wallet = animoWallet(keys)
    const credentialOffer = await wallet.resolveCredentialOffer(offer.offerUriByValue)
    const issuerMetadata = await wallet.resolveIssuerMetadata(credentialOffer.credential_issuer)
    const { accessTokenResponse } = await wallet.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer,
      issuerMetadata,
      txCode: offer.txCode,
    })
    const { c_nonce } = await wallet.requestNonce({ issuerMetadata })
    const configurationId = 'ClinicianLicenseCredential_dc_sd_jwt'
    const proofs = await Promise.all(
      keys.map(
        async (k) =>
          (
            await wallet.createCredentialRequestJwtProof({
              issuerMetadata,
              credentialConfigurationId: configurationId,
              signer: { method: 'did', alg: 'ES256K', didUrl: k.kid },
              nonce: c_nonce,
            })
          ).jwt,
      ),
    )
    const { credentialResponse } = await wallet.retrieveCredentials({
      issuerMetadata,
      accessToken: accessTokenResponse.access_token,
      credentialConfigurationId: configurationId,
      proofs: { jwt: proofs },
    })
    const credentials = (credentialResponse.credentials as { credential: string }[]).map((c) => c.credential)
    expect(credentials).toHaveLength(2)
    for (const [i, credential] of credentials.entries()) {
      const { payload } = decodeJwt(credential.split('~')[0]!)
      expect(payload.sub).toBe(keys[i]!.did)
      expect(payload.cnf.jwk).toMatchObject({ x: keys[i]!.jwk.x, y: keys[i]!.jwk.y })
    }
    // The first copy, presented with its key, verifies at the hospital.
    const { nonce, audience, requestSecret } = await nonceFor(t, t.hospital)
    const presentation = await presentSdJwtVc({
      credential: credentials[0]!,
      disclose: ['name', 'licenseNumber'],
      keyBinding: { alg: 'ES256K', signer: keys[0]!.signer, nonce, audience },
    })
    const result = await t.request('POST', '/v1/verify/presentation', {
      body: { presentation, verifier: t.hospital.id, nonce, requestSecret },
    })
    expect(result.body.valid, JSON.stringify(result.body)).toBe(true)
    const status = await t.request('GET', `/v1/organisations/${t.board.id}/offers/${offer.id}`, {
      token: t.board.token,
    })
    expect(status.body.state).toBe('issued')
    expect(status.body.issued).toHaveLength(2)
  })

  it('publishes metadata at the path-inserted well-known URLs, readable from any origin', async () => {
    const res = await fetch(`${t.url}/.well-known/openid-credential-issuer/issuers/${t.board.id}`, {
      headers: { origin: 'https://wallet.example' },
    })
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    const metadata = (await res.json()) as Json
    expect(metadata.credential_issuer).toBe(issuerOf())
    expect(Object.keys(metadata.credential_configurations_supported).sort()).toEqual([
      'ClinicianLicenseCredential_dc_sd_jwt',
      'ClinicianLicenseCredential_jwt_vc_json',
    ])
    expect(metadata.credential_configurations_supported.ClinicianLicenseCredential_dc_sd_jwt).toMatchObject({
      format: 'dc+sd-jwt',
      vct: 'urn:clavis:vct:ClinicianLicenseCredential:1',
      credential_metadata: { display: [{ name: 'Clinician licence', background_color: '#1f3a5f' }] },
    })
    const as = await fetch(`${t.url}/.well-known/oauth-authorization-server/issuers/${t.board.id}`)
    expect(((await as.json()) as Json).token_endpoint).toBe(`${issuerOf()}/token`)
    const logo = await fetch(metadata.display[0].logo.uri)
    expect(logo.headers.get('content-type')).toBe('image/svg+xml')
    const preflight = await fetch(`${issuerOf()}/credential`, {
      method: 'OPTIONS',
      headers: { origin: 'https://wallet.example', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization')
  })
})

describe('OpenID4VCI: a wallet with a P-256 key and no DID (a bare jwk proof, ES256)', () => {
  it('is bound by its did:jwk: the SD-JWT VC and the JWT-VC it receives verify when it presents them', async () => {
    const privateKey = generatePrivateKey('ES256')
    const jwk = publicKeyToJwk({ alg: 'ES256', publicKey: publicKeyOf('ES256', privateKey) })
    const sign = createSigner({ alg: 'ES256', privateKey })
    const wallet = new Openid4vciClient({
      callbacks: {
        hash: (data) => sha256(data),
        generateRandom: (n) => randomBytes(n),
        clientAuthentication: clientAuthenticationAnonymous(),
        fetch,
        signJwt: async (_signer: JwtSigner, { header, payload }) => ({
          jwt: await signJwt({ header, payload, signer: sign }),
          signerJwk: { ...jwk },
        }),
      },
    })
    const offer = await makeOffer()
    const credentialOffer = await wallet.resolveCredentialOffer(offer.offerUri)
    const issuerMetadata = await wallet.resolveIssuerMetadata(credentialOffer.credential_issuer)
    const { accessTokenResponse } = await wallet.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer,
      issuerMetadata,
      txCode: offer.txCode,
    })
    const received: Record<string, string> = {}
    for (const configurationId of offer.configurationIds) {
      const { c_nonce } = await wallet.requestNonce({ issuerMetadata })
      const { jwt } = await wallet.createCredentialRequestJwtProof({
        issuerMetadata,
        credentialConfigurationId: configurationId,
        signer: { method: 'jwk', alg: 'ES256', publicJwk: { ...jwk } },
        nonce: c_nonce,
      })
      expect(decodeJwt(jwt).header.jwk).toMatchObject({ crv: 'P-256' })
      const { credentialResponse } = await wallet.retrieveCredentials({
        issuerMetadata,
        accessToken: accessTokenResponse.access_token,
        credentialConfigurationId: configurationId,
        proofs: { jwt: [jwt] },
      })
      received[configurationId] = (credentialResponse.credentials as { credential: string }[])[0]!.credential
    }
    const did = didJwkOf(jwk)
    const sd = decodeJwt(received.ClinicianLicenseCredential_dc_sd_jwt!.split('~')[0]!).payload
    expect(sd.sub).toBe(did)
    expect(sd.cnf.jwk).toMatchObject({ crv: 'P-256', x: jwk.x, y: jwk.y })
    expect(decodeJwt(received.ClinicianLicenseCredential_jwt_vc_json!).payload.sub).toBe(did)

    const { nonce, audience, requestSecret } = await nonceFor(t, t.hospital)
    const presentation = await presentSdJwtVc({
      credential: received.ClinicianLicenseCredential_dc_sd_jwt!,
      disclose: ['npi'],
      keyBinding: { alg: 'ES256', signer: sign, nonce, audience },
    })
    const sdResult = await t.request('POST', '/v1/verify/presentation', {
      body: { presentation, verifier: t.hospital.id, nonce, requestSecret },
    })
    expect(sdResult.body.valid, JSON.stringify(sdResult.body)).toBe(true)
    expect(sdResult.body.holder).toBe(did)

    const again = await nonceFor(t, t.hospital)
    const vp = await presentJwtVp({
      credentials: [received.ClinicianLicenseCredential_jwt_vc_json!],
      holder: did,
      kid: `${did}#0`,
      alg: 'ES256',
      signer: sign,
      nonce: again.nonce,
      audience: again.audience,
    })
    const vpResult = await t.request('POST', '/v1/verify/presentation', {
      body: {
        presentation: vp,
        verifier: t.hospital.id,
        nonce: again.nonce,
        requestSecret: again.requestSecret,
      },
    })
    expect(vpResult.body.valid, JSON.stringify(vpResult.body)).toBe(true)
  })
})

describe('OpenID4VCI refusals, each with the spec’s error', () => {
  it('a pre-authorized code buys one token: a replay is invalid_grant', async () => {
    const offer = await makeOffer()
    const first = await token({ 'pre-authorized_code': codeOf(offer), tx_code: offer.txCode })
    expect(first.status).toBe(200)
    expect(first.body.token_type).toBe('Bearer')
    expect(first.headers.get('cache-control')).toBe('no-store')
    const again = await token({ 'pre-authorized_code': codeOf(offer), tx_code: offer.txCode })
    expect(again.status).toBe(400)
    expect(again.body.error).toBe('invalid_grant')
  })

  it('a missing tx code is invalid_request; wrong ones are invalid_grant and lock the offer at the fifth', async () => {
    const offer = await makeOffer()
    const code = codeOf(offer)
    expect((await token({ 'pre-authorized_code': code })).body.error).toBe('invalid_request')
    const wrong = offer.txCode === '000000' ? '000001' : '000000'
    for (let left = 4; left >= 0; left--) {
      const res = await token({ 'pre-authorized_code': code, tx_code: wrong })
      expect(res.status).toBe(400)
      expect(res.body.error).toBe('invalid_grant')
      expect(res.body.error_description).toContain(left > 0 ? `${left} attempt` : 'locked')
    }
    const right = await token({ 'pre-authorized_code': code, tx_code: offer.txCode })
    expect(right.body).toMatchObject({ error: 'invalid_grant' })
    expect(right.body.error_description).toContain('locked')
    const status = await t.request('GET', `/v1/organisations/${t.board.id}/offers/${offer.id}`, {
      token: t.board.token,
    })
    expect(status.body.state).toBe('locked')
  })

  it('unknown codes and other grants are refused', async () => {
    expect((await token({ 'pre-authorized_code': 'nope', tx_code: '123456' })).body.error).toBe(
      'invalid_grant',
    )
    const res = await fetch(`${issuerOf()}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toMatch(
      /^(unsupported_grant_type|invalid_request)$/,
    )
  })

  it('the credential endpoint needs the token (invalid_token, WWW-Authenticate), a fresh nonce and a proof for this issuer', async () => {
    const offer = await makeOffer({ formats: ['jwt_vc_json'] })
    const clinician = holderKey()
    const access = (await token({ 'pre-authorized_code': codeOf(offer), tx_code: offer.txCode })).body
      .access_token
    const configuration = { credential_configuration_id: 'ClinicianLicenseCredential_jwt_vc_json' }

    const none = await credentialRequest(undefined, configuration)
    expect(none.status).toBe(401)
    expect(none.body.error).toBe('invalid_token')
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/)
    expect((await credentialRequest('forged-token', configuration)).status).toBe(401)

    const unknownNonce = await credentialRequest(access, {
      ...configuration,
      proofs: { jwt: [await proof(clinician, { nonce: 'never-issued-nonce' })] },
    })
    expect(unknownNonce.body.error).toBe('invalid_nonce')

    const otherAudience = await credentialRequest(access, {
      ...configuration,
      proofs: { jwt: [await proof(clinician, { nonce: await cNonce(), aud: 'https://other.example' })] },
    })
    expect(otherAudience.body.error).toBe('invalid_proof')

    const stale = await credentialRequest(access, {
      ...configuration,
      proofs: {
        jwt: [await proof(clinician, { nonce: await cNonce(), iat: Math.floor(Date.now() / 1000) - 3600 })],
      },
    })
    expect(stale.body.error).toBe('invalid_proof')

    const otherKey = holderKey()
    const forged = await signJwt({
      header: { alg: 'ES256K', typ: 'openid4vci-proof+jwt', kid: clinician.kid },
      payload: { aud: issuerOf(), iat: Math.floor(Date.now() / 1000), nonce: await cNonce() },
      signer: otherKey.signer,
    })
    expect(
      (await credentialRequest(access, { ...configuration, proofs: { jwt: [forged] } })).body.error,
    ).toBe('invalid_proof')

    const notOffered = await credentialRequest(access, {
      credential_configuration_id: 'ClinicianLicenseCredential_dc_sd_jwt',
      proofs: { jwt: [await proof(clinician, { nonce: await cNonce() })] },
    })
    expect(notOffered.body.error).toBe('invalid_credential_request')
    const unknown = await credentialRequest(access, {
      credential_configuration_id: 'NoSuchCredential',
      proofs: { jwt: [await proof(clinician, { nonce: await cNonce() })] },
    })
    expect(unknown.body.error).toBe('unknown_credential_configuration')

    // A nonce is good once: the first request uses it up, a second with it is invalid_nonce.
    const nonce = await cNonce()
    const ok = await credentialRequest(access, {
      ...configuration,
      proofs: { jwt: [await proof(clinician, { nonce })] },
    })
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    const replay = await credentialRequest(access, {
      ...configuration,
      proofs: { jwt: [await proof(clinician, { nonce })] },
    })
    expect(replay.status).toBe(401)
    expect(replay.body.error).toBe('invalid_token')
  })

  it('sent at once: a code buys one token, a c_nonce serves one credential request', async () => {
    const offer = await makeOffer({ formats: ['jwt_vc_json'] })
    const tokens = await Promise.all(
      Array.from({ length: 6 }, () => token({ 'pre-authorized_code': codeOf(offer), tx_code: offer.txCode })),
    )
    expect(tokens.filter((r) => r.status === 200)).toHaveLength(1)
    expect(tokens.filter((r) => r.body.error === 'invalid_grant')).toHaveLength(5)
    const access = tokens.find((r) => r.status === 200)!.body.access_token as string
    const clinician = holderKey()
    const nonce = await cNonce()
    const answers = await Promise.all(
      Array.from({ length: 4 }, async () =>
        credentialRequest(access, {
          credential_configuration_id: 'ClinicianLicenseCredential_jwt_vc_json',
          proofs: { jwt: [await proof(clinician, { nonce })] },
        }),
      ),
    )
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1)
    expect(answers.filter((r) => r.status === 200 || r.body.error === 'invalid_nonce')).toHaveLength(4)
  })

  it('the claims of an offer that expired unused are dropped', async () => {
    const stale = await makeOffer()
    const q = t.databaseUrl ? '$1' : '?'
    await t.agent.ctx.db.query(
      `UPDATE clavis_credential_offer SET expires_at = '2000-01-01T00:00:00.000Z' WHERE id = ${q}`,
      [stale.id],
    )
    await makeOffer()
    const [row] = (await t.agent.ctx.db.query(`SELECT request FROM clavis_credential_offer WHERE id = ${q}`, [
      stale.id,
    ])) as { request: string | null }[]
    expect(row?.request).toBeNull()
    const status = await t.request('GET', `/v1/organisations/${t.board.id}/offers/${stale.id}`, {
      token: t.board.token,
    })
    expect(status.body.state).toBe('expired')
  })

  it('staff: only a board offers licences and only a hospital identity credentials; claims are checked at once', async () => {
    const hospitalOffersLicence = await t.request('POST', `/v1/organisations/${t.hospital.id}/offers`, {
      token: t.hospital.token,
      body: { type: 'ClinicianLicenseCredential', claims: licenceClaims() },
    })
    expect(hospitalOffersLicence.status).toBe(403)
    const badClaims = await t.request('POST', `/v1/organisations/${t.board.id}/offers`, {
      token: t.board.token,
      body: { type: 'ClinicianLicenseCredential', claims: { ...licenceClaims(), licenseNumber: '' } },
    })
    expect(badClaims.status).toBe(422)
    expect(badClaims.body.code).toBe('invalid_claims')
    const identity = await t.request('POST', `/v1/organisations/${t.hospital.id}/offers`, {
      token: t.hospital.token,
      body: { type: 'PatientIdentityCredential', claims: patientClaims(), formats: ['dc+sd-jwt'] },
    })
    expect(identity.status).toBe(201)
    expect(identity.body.configurationIds).toEqual(['PatientIdentityCredential_dc_sd_jwt'])
    const anonymous = await t.request('POST', `/v1/organisations/${t.board.id}/offers`, {
      body: { type: 'ClinicianLicenseCredential', claims: licenceClaims() },
    })
    expect(anonymous.status).toBe(401)
  })
})

describe('OpenID4VCI endpoints under hostile input', () => {
  it('answer every odd request with a 4xx OAuth error body, never a 5xx', async () => {
    const offer = await makeOffer()
    const bodies: [string, string][] = [
      ['application/x-www-form-urlencoded', ''],
      [
        'application/x-www-form-urlencoded',
        'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code',
      ],
      [
        'application/x-www-form-urlencoded',
        `pre-authorized_code=${codeOf(offer)}&tx_code=${'9'.repeat(5000)}`,
      ],
      ['application/x-www-form-urlencoded', 'grant_type=%00&pre-authorized_code=%00'],
      ['application/json', '{"grant_type":"urn:ietf:params:oauth:grant-type:pre-authorized_code"}'],
      ['application/json', '{"credential_configuration_id":{"$ne":1},"proofs":{"jwt":[1,2,3]}}'],
      ['application/json', '{"proofs":{"jwt":["a.b.c","a.b.c","a.b.c","a.b.c","a.b.c"]}}'],
      ['application/json', '{"proof":{"proof_type":"jwt","jwt":"x"},"proofs":{"jwt":["y"]}}'],
      ['application/json', 'not json'],
      ['application/json', '[]'],
      ['application/json', 'null'],
      ['text/plain', '\u0000'],
    ]
    const access = (await token({ 'pre-authorized_code': codeOf(offer), tx_code: offer.txCode })).body
      .access_token
    const targets = [
      { path: `/issuers/${t.board.id}/token`, auth: undefined },
      { path: `/issuers/${t.board.id}/credential`, auth: `Bearer ${access}` },
      { path: `/issuers/${t.board.id}/credential`, auth: 'Bearer \u00e9' },
      { path: `/issuers/${t.board.id}/nonce`, auth: undefined },
      { path: '/issuers/no-such-issuer/token', auth: undefined },
      { path: '/issuers/no-such-issuer/nonce', auth: undefined },
    ]
    for (const target of targets) {
      for (const [type, body] of bodies) {
        const res = await fetch(`${t.url}${target.path}`, {
          method: 'POST',
          headers: { 'content-type': type, ...(target.auth ? { authorization: target.auth } : {}) },
          body,
        }).catch((e: unknown) => ({ status: 0, json: async () => ({ error: String(e) }) }))
        if (res.status === 200) continue
        expect(res.status, `${target.path} ${body.slice(0, 40)}`).toBeGreaterThanOrEqual(400)
        expect(res.status, `${target.path} ${body.slice(0, 40)}`).toBeLessThan(500)
        const answer = (await res.json()) as { error?: unknown }
        expect(typeof answer.error, `${target.path} ${body.slice(0, 40)}`).toBe('string')
      }
    }
    for (const path of [
      `/.well-known/openid-credential-issuer/issuers/nope`,
      `/issuers/${t.board.id}/offers/nope`,
      '/issuers/nope/logo.svg',
    ]) {
      const res = await fetch(`${t.url}${path}`)
      expect(res.status, path).toBe(404)
    }
  })
})
