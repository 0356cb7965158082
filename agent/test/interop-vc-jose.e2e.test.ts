import { presentJwtVp } from '@clavis/verify'
import {
  checkStatus,
  createCredential,
  createList,
  statusTypeMatches,
  VC_BSL_VC_V2_CONTEXT,
} from '@digitalbazaar/vc-bitstring-status-list'
import { verifyCredential } from 'did-jwt-vc'
import type { Resolver } from 'did-resolver'
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { issue, licenceBody, nonceFor } from './api'
import { useTestAgent } from './harness'
import {
  chainResolver,
  claimsOf,
  foreignParty,
  foreignVeramo,
  isHighS,
  lowS,
  publicKeyOf,
  verifyingLoader,
} from './interop-kit'

// Interop, VC Data Model 2.0 secured with VC-JOSE-COSE (vc+jwt, vp+jwt), both directions, with
// libraries we did not write: jose (panva) as the JOSE implementation a VC-JOSE-COSE issuer or
// verifier builds on, and @digitalbazaar/vc-bitstring-status-list for the status list. did-jwt-vc
// and Veramo 7 speak only VC 1.1 JWTs: what they do with a vc+jwt is pinned. On loopback: the
// agent's real HTTP server and the embedded chain. See ADR 0022.

const V2 = 'https://www.w3.org/ns/credentials/v2'
const ENTRIES = 131_072

const t = useTestAgent()
const clinician = foreignParty()
let resolver: Resolver
let rpcUrl: string
let registry: string

beforeAll(async () => {
  ;({ resolver, rpcUrl, registry } = await chainResolver(t))
})

const clavisVerify = (jwt: string) =>
  t.request('POST', '/v1/verify', { body: { credential: jwt, verifier: t.hospital.id } })

/** jose's verification of a VC-JOSE-COSE JWT: the key `kid` names in the signer's DID document, the expected typ. */
const joseVerify = async (jwt: string, typ: 'vc+jwt' | 'vp+jwt') => {
  const { kid } = decodeProtectedHeader(jwt)
  return jwtVerify(jwt, await publicKeyOf(resolver, kid!), { typ, algorithms: ['ES256K'] })
}

describe('Clavis issues VC 2.0 as a vc+jwt; foreign verifiers', () => {
  let issued: { id: string; jwt: string }

  beforeAll(async () => {
    issued = await issue(t, t.board, licenceBody(clinician.did, { format: 'vc+jwt' }))
  })

  it('jose verifies it as a vc+jwt whose claims set is the VC 2.0 credential', async () => {
    const { payload, protectedHeader } = await joseVerify(issued.jwt, 'vc+jwt')
    expect(protectedHeader).toMatchObject({ alg: 'ES256K', typ: 'vc+jwt' })
    expect(payload).toMatchObject({
      '@context': [V2],
      type: ['VerifiableCredential', 'ClinicianLicenseCredential'],
      issuer: t.board.did,
      credentialSubject: { id: clinician.did },
    })
    expect(payload).not.toHaveProperty('vc')
  })

  it('@digitalbazaar/vc-bitstring-status-list checks its entries against the vc+jwt lists', async () => {
    const credential = claimsOf(issued.jwt)
    expect(statusTypeMatches({ credential })).toBe(true)
    const seen: string[] = []
    const result = await checkStatus({
      credential,
      documentLoader: verifyingLoader(t, resolver, seen),
      verifyBitstringStatusListCredential: false,
    })
    expect(result.error).toBeUndefined()
    expect(result.results.map((r) => r.status)).toEqual([false, false])
    expect(seen).toEqual(['application/vc+jwt', 'application/vc+jwt'])
  })

  it('once Clavis revokes it, @digitalbazaar/vc-bitstring-status-list reports it revoked', async () => {
    const res = await t.request('POST', `/v1/organisations/${t.board.id}/credentials/${issued.id}/status`, {
      token: t.board.token,
      body: { action: 'revoke' },
    })
    expect(res.status).toBe(200)
    const result = await checkStatus({
      credential: claimsOf(issued.jwt),
      documentLoader: verifyingLoader(t, resolver),
      verifyBitstringStatusListCredential: false,
    })
    expect(result.results.map((r) => [r.credentialStatus.statusPurpose, r.status])).toEqual([
      ['revocation', true],
      ['suspension', false],
    ])
  })

  it('jose verifies a Clavis vp+jwt and the vc+jwt in its EnvelopedVerifiableCredential', async () => {
    const { jwt } = await issue(t, t.board, licenceBody(clinician.did, { format: 'vc+jwt' }))
    const { nonce, audience } = await nonceFor(t, t.hospital)
    const vp = await presentJwtVp({
      credentials: [jwt],
      holder: clinician.did,
      kid: clinician.kid,
      signer: clinician.signer,
      format: 'vp+jwt',
      nonce,
      audience,
    })
    const { payload } = await joseVerify(vp, 'vp+jwt')
    expect(payload).toMatchObject({ '@context': [V2], holder: clinician.did, nonce, aud: audience })
    const [enveloped] = payload.verifiableCredential as { id: string; type: string }[]
    expect(enveloped!.type).toBe('EnvelopedVerifiableCredential')
    const inner = enveloped!.id.replace(/^data:application\/vc\+jwt,/, '')
    expect(inner).toBe(jwt)
    expect((await joseVerify(inner, 'vc+jwt')).payload.issuer).toBe(t.board.did)
  })

  it('pinned: did-jwt-vc 4 and Veramo 7 know only the VC 1.1 JWT encoding and refuse a vc+jwt', async () => {
    // Neither reads typ. Without iss (Clavis leaves it out: the issuer is `issuer`) did-jwt stops
    // first; with iss, did-jwt-vc takes the claims set for a 1.1 credential and wants the 1.1 context.
    await expect(verifyCredential(issued.jwt, resolver)).rejects.toThrow(/^invalid_jwt: JWT iss .* required/)
    const { jwt: withIss } = await lowS(() =>
      new SignJWT({ ...claimsOf(issued.jwt), iss: clinician.did, issuer: clinician.did })
        .setProtectedHeader({ alg: 'ES256K', typ: 'vc+jwt', kid: clinician.kid })
        .sign(clinician.privateKeyObject),
    )
    await expect(verifyCredential(withIss, resolver)).rejects.toThrow(
      /^schema_error: @context is missing default context "https:\/\/www.w3.org\/2018\/credentials\/v1"/,
    )
    const veramo = await foreignVeramo({ resolver, rpcUrl, registry, party: foreignParty() })
    for (const jwt of [issued.jwt, withIss]) {
      const result = await veramo.verifyCredential({ credential: jwt })
      expect(result).toMatchObject({
        verified: false,
        error: { errorCode: expect.stringMatching(/invalid_jwt|schema_error/) },
      })
    }
  })
})

describe('a foreign VC-JOSE-COSE issuer (jose); Clavis verifies', () => {
  const board = foreignParty()
  const listUrl = () => `${t.agent.ctx.publicUrl}/v1/status-lists/dids/${board.did}/licences`
  const sign = (claims: Record<string, unknown>, typ: 'vc+jwt' | 'vp+jwt', party = board) =>
    lowS(() =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256K', typ, kid: party.kid })
        .sign(party.privateKeyObject),
    )
  let iat = Math.floor(Date.now() / 1000) - 30

  /** A VC 2.0 status list made with @digitalbazaar/vc-bitstring-status-list, secured with jose, uploaded. */
  async function publishList(revoked: number[] = []) {
    const list = await createList({ length: ENTRIES })
    for (const index of revoked) list.setStatus(index, true)
    const credential = await createCredential({ id: listUrl(), list, statusPurpose: 'revocation' })
    expect(credential['@context']).toEqual(VC_BSL_VC_V2_CONTEXT)
    const validFrom = new Date((iat - 60) * 1000).toISOString().replace(/\.\d+Z$/, 'Z')
    const { jwt } = await sign({ ...credential, issuer: board.did, validFrom, iat: iat++ }, 'vc+jwt')
    const res = await t.request('PUT', `/v1/status-lists/dids/${board.did}/licences`, {
      raw: jwt,
      headers: { 'content-type': 'application/vc+jwt' },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
  }

  const licence = (index: number) => ({
    '@context': [V2],
    type: ['VerifiableCredential', 'ClinicianLicenseCredential'],
    issuer: board.did,
    validFrom: new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    credentialSubject: { id: clinician.did, ...licenceBody(clinician.did).claims },
    credentialStatus: {
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(index),
      statusListCredential: listUrl(),
    },
  })

  let signed: { jwt: string; highS: string }

  beforeAll(async () => {
    const res = await t.request('POST', `/v1/organisations/${t.hospital.id}/trust`, {
      token: t.hospital.token,
      body: { issuer: board.did, types: ['ClinicianLicenseCredential'] },
    })
    expect(res.status).toBe(201)
    await publishList()
    signed = await sign(licence(4321), 'vc+jwt')
  })

  it('its vc+jwt licence with a VC 2.0 Bitstring Status List is valid', async () => {
    const res = await clavisVerify(signed.jwt)
    expect(res.body, JSON.stringify(res.body.checks)).toMatchObject({
      valid: true,
      format: 'vc+jwt',
      issuer: board.did,
      subject: clinician.did,
    })
  })

  it('the same credential with jose’s high-S signature is valid too (RFC 8812 has no low-S rule)', async () => {
    expect(isHighS(signed.highS)).toBe(true)
    const res = await clavisVerify(signed.highS)
    expect(res.body.valid).toBe(true)
    expect(res.body.checks.signature).toMatchObject({ passed: true })
  })

  it('a holder’s vp+jwt made with jose, of a Clavis vc+jwt, is valid for the verifier’s request', async () => {
    const { jwt } = await issue(t, t.board, licenceBody(clinician.did, { format: 'vc+jwt' }))
    const { nonce, audience, requestSecret } = await nonceFor(t, t.hospital)
    const now = Math.floor(Date.now() / 1000)
    const { jwt: vp } = await sign(
      {
        '@context': [V2],
        type: 'VerifiablePresentation',
        holder: clinician.did,
        verifiableCredential: [
          { '@context': V2, id: `data:application/vc+jwt,${jwt}`, type: 'EnvelopedVerifiableCredential' },
        ],
        aud: audience,
        nonce,
        iat: now,
        exp: now + 120,
      },
      'vp+jwt',
      clinician,
    )
    const res = await t.request('POST', '/v1/verify/presentation', {
      body: { presentation: vp, verifier: t.hospital.id, nonce, requestSecret },
    })
    expect(res.status).toBe(200)
    expect(res.body, JSON.stringify(res.body.checks)).toMatchObject({
      valid: true,
      format: 'vp+jwt',
      holder: clinician.did,
    })
  })

  it('once its issuer revokes it (a newer list uploaded), Clavis refuses it', async () => {
    await publishList([4321])
    const res = await clavisVerify(signed.jwt)
    expect(res.body.valid).toBe(false)
    expect(res.body.checks.status).toMatchObject({ passed: false, code: 'revoked' })
  })
})
