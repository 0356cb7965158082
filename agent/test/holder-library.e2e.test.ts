import { createPresenter, createReceiver, HolderError, memoryCredentialStore } from '@clavis/holder'
import { setGlobalConfig } from '@openid4vc/oauth2'
import type { Resolver } from 'did-resolver'
import { beforeAll, describe, expect, it } from 'vitest'
import { inDays, licenceClaims, patientClaims, useTestAgent } from './harness'
import { chainResolver } from './interop-kit'
import { LICENCE_VCT, offerOf, sdJwtQuery, vpRequestOf, vpResultOf, walletKey } from './oid4vc-kit'

// @clavis/holder, the wallet library, against the agent on loopback: receive a licence and an
// identity credential through OpenID4VCI, keep them after checking, and present them through
// OpenID4VP with only what was asked. DIDs are resolved on chain by the wallet's own resolver.

const t = useTestAgent()
let resolver: Resolver

beforeAll(async () => {
  setGlobalConfig({ allowInsecureUrls: true })
  resolver = (await chainResolver(t)).resolver
})

const offer = (org: { id: string; token: string }, body: Record<string, unknown>) => offerOf(t, org, body)

describe('@clavis/holder: receive (OpenID4VCI) and present (OpenID4VP) against the agent', () => {
  it('a clinician receives a licence, checked and kept; presents it at check-in with only what was asked', async () => {
    const key = walletKey()
    const store = memoryCredentialStore()
    const receiver = createReceiver({ resolver })
    const licenceOffer = await offer(t.board, {
      type: 'ClinicianLicenseCredential',
      claims: licenceClaims(),
      validUntil: inDays(365),
      formats: ['dc+sd-jwt'],
    })
    const seen = await receiver.resolve(licenceOffer.offerUri)
    expect(seen.issuerName).toBe('Demo Medical Board')
    expect(seen.configurations).toEqual([
      { id: 'ClinicianLicenseCredential_dc_sd_jwt', format: 'dc+sd-jwt', name: 'Clinician licence' },
    ])
    expect(seen.txCode?.length).toBe(6)
    const [held] = await receiver.receive({
      offer: licenceOffer.offerUri,
      txCode: licenceOffer.txCode,
      key,
      store,
    })
    expect(held).toMatchObject({
      format: 'dc+sd-jwt',
      type: 'ClinicianLicenseCredential',
      issuer: t.board.did,
      subject: key.did,
      issuerName: 'Demo Medical Board',
    })
    expect(held!.claims.licenseNumber).toBe('A-123456')
    expect(await store.list()).toHaveLength(1)

    const asked = {
      body: await vpRequestOf(t, t.hospital, {
        dcql: sdJwtQuery('licence', LICENCE_VCT, ['name', 'licenseNumber']),
      }),
    }
    const presenter = createPresenter({ resolver })
    const request = await presenter.resolve(asked.body.requestUri)
    expect(request.verifier.did).toBe(t.hospital.did)
    expect(request.asked).toEqual([
      { id: 'licence', format: 'dc+sd-jwt', claims: ['name', 'licenseNumber'], required: true },
    ])
    const matches = presenter.match(request, await store.list())
    expect(matches.licence?.map((c) => c.id)).toEqual([held!.id])
    await presenter.respond({ request, chosen: { licence: matches.licence![0] }, key })
    const result = { body: await vpResultOf(t, t.hospital, asked.body.id) }
    expect(result.body.result.valid).toBe(true)
    expect(Object.keys(result.body.result.presentations.licence[0].claims).sort()).toEqual([
      'licenseNumber',
      'name',
    ])
  })

  it('a patient receives an identity JWT-VC by value and presents it; leaving a claim out of an SD-JWT VC is honoured', async () => {
    const key = walletKey()
    const store = memoryCredentialStore()
    const receiver = createReceiver({ resolver })
    const jwtOffer = await offer(t.hospital, { type: 'PatientIdentityCredential', claims: patientClaims() })
    const [jwtVc] = await receiver.receive({
      offer: jwtOffer.offerUriByValue,
      txCode: jwtOffer.txCode,
      key,
      store,
    })
    expect(jwtVc).toMatchObject({
      format: 'jwt_vc_json',
      type: 'PatientIdentityCredential',
      subject: key.did,
    })
    const sdOffer = await offer(t.hospital, {
      type: 'PatientIdentityCredential',
      claims: patientClaims(),
      formats: ['dc+sd-jwt'],
    })
    const [sd] = await receiver.receive({ offer: sdOffer.offerUri, txCode: sdOffer.txCode, key, store })

    const ask = async (claimSets?: string[][]) => {
      const res = {
        body: await vpRequestOf(t, t.hospital, {
          dcql: {
            credentials: [
              {
                id: 'identity',
                format: 'dc+sd-jwt',
                meta: { vct_values: ['urn:clavis:vct:PatientIdentityCredential:1'] },
                claims: [
                  { id: 'n', path: ['name'] },
                  { id: 'b', path: ['birthDate'] },
                  { id: 'i', path: ['identifier'] },
                ],
                ...(claimSets ? { claim_sets: claimSets } : {}),
              },
            ],
          },
        }),
      }
      return res.body
    }
    const presenter = createPresenter({ resolver })
    // Every claim required: leaving one out is refused by the verifier, typed for the holder.
    const strict = await presenter.resolve((await ask()).requestUri)
    const matches = presenter.match(strict, await store.list())
    // Only the SD-JWT VC answers a dc+sd-jwt query.
    expect(matches.identity?.map((c) => c.id)).toEqual([sd!.id])
    await expect(
      presenter.respond({
        request: strict,
        chosen: { identity: sd },
        key,
        leaveOut: { identity: ['identifier'] },
      }),
    ).rejects.toMatchObject({ code: 'verifier_refused', oauthError: 'invalid_request' })
    // With a claim set that does without the identifier, the holder may leave it out.
    const lenient = await ask([
      ['n', 'b', 'i'],
      ['n', 'b'],
    ])
    const request = await presenter.resolve(lenient.requestUri)
    await presenter.respond({
      request,
      chosen: { identity: sd },
      key,
      leaveOut: { identity: ['identifier'] },
    })
    const result = { body: await vpResultOf(t, t.hospital, lenient.id) }
    expect(result.body.result.valid).toBe(true)
    expect(Object.keys(result.body.result.presentations.identity[0].claims).sort()).toEqual([
      'birthDate',
      'name',
    ])

    // The JWT-VC answers a jwt_vc_json query, as a JWT VP.
    const jwtAsk = {
      body: await vpRequestOf(t, t.hospital, {
        dcql: {
          credentials: [
            {
              id: 'identity',
              format: 'jwt_vc_json',
              meta: { type_values: [['PatientIdentityCredential']] },
              claims: [{ path: ['credentialSubject', 'birthDate'] }],
            },
          ],
        },
      }),
    }
    const jwtRequest = await presenter.resolve(jwtAsk.body.requestUri)
    const jwtMatches = presenter.match(jwtRequest, await store.list())
    expect(jwtMatches.identity?.map((c) => c.id)).toEqual([jwtVc!.id])
    await presenter.respond({ request: jwtRequest, chosen: { identity: jwtMatches.identity![0] }, key })
    const jwtResult = { body: await vpResultOf(t, t.hospital, jwtAsk.body.id) }
    expect(jwtResult.body.result.valid).toBe(true)
    expect(jwtResult.body.result.presentations.identity[0].claims).toEqual({
      credentialSubject: { birthDate: '1984-02-29' },
    })
  })

  it('direct_post.jwt: the answer is encrypted to the request’s own key; a plain answer to such a request is refused', async () => {
    const key = walletKey()
    const store = memoryCredentialStore()
    const o = await offer(t.board, {
      type: 'ClinicianLicenseCredential',
      claims: licenceClaims(),
      validUntil: inDays(30),
      formats: ['dc+sd-jwt'],
    })
    await createReceiver({ resolver }).receive({ offer: o.offerUri, txCode: o.txCode, key, store })
    const ask = async () => {
      const res = {
        body: await vpRequestOf(t, t.hospital, {
          responseMode: 'direct_post.jwt',
          dcql: sdJwtQuery('licence', LICENCE_VCT, ['licenseNumber']),
        }),
      }
      return res.body
    }
    const presenter = createPresenter({ resolver })
    const encrypted = await ask()
    const request = await presenter.resolve(encrypted.requestUri)
    expect(request.responseMode).toBe('direct_post.jwt')
    const keys = (request.payload.client_metadata as { jwks: { keys: { crv: string; kid: string }[] } }).jwks
      .keys
    expect(keys).toMatchObject([{ crv: 'P-256', kid: encrypted.id }])
    const matches = presenter.match(request, await store.list())
    await presenter.respond({ request, chosen: { licence: matches.licence![0] }, key })
    const result = { body: await vpResultOf(t, t.hospital, encrypted.id) }
    expect(result.body.result.valid).toBe(true)

    // In the clear to a request that asked for encryption: refused, and the request stays open.
    const other = await ask()
    const plain = await fetch(`${t.url}/verifiers/${t.hospital.id}/requests/${other.id}/response`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify({ licence: ['x'] }), state: other.id }),
    })
    expect(plain.status).toBe(400)
    const still = { body: await vpResultOf(t, t.hospital, other.id) }
    expect(still.body.state).toBe('pending')
  })

  it('refusals reach the holder typed: a wrong transaction code, a used offer', async () => {
    const key = walletKey()
    const store = memoryCredentialStore()
    const receiver = createReceiver({ resolver })
    const o = await offer(t.board, {
      type: 'ClinicianLicenseCredential',
      claims: licenceClaims(),
      validUntil: inDays(30),
    })
    const wrong = o.txCode === '000000' ? '000001' : '000000'
    const refused = await receiver
      .receive({ offer: o.offerUriByValue, txCode: wrong, key, store })
      .catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(HolderError)
    expect(refused).toMatchObject({ code: 'issuer_refused', oauthError: 'invalid_grant' })
    await receiver.receive({ offer: o.offerUriByValue, txCode: o.txCode, key, store })
    const again = await receiver
      .receive({ offer: o.offerUriByValue, txCode: o.txCode, key, store })
      .catch((e: unknown) => e)
    expect(again).toMatchObject({ code: 'issuer_refused', oauthError: 'invalid_grant' })
    // By reference, a used offer is gone.
    await expect(receiver.resolve(o.offerUri)).rejects.toMatchObject({ code: 'offer_invalid' })
    expect(await store.list()).toHaveLength(1)
  })
})
