import { DcqlQuery } from 'dcql'
import { describe, expect, it } from 'vitest'
import { memoryCredentialStore } from './memory-store'
import { createPresenter, type ResolvedRequest } from './present'
import type { HeldCredential } from './types'

const LICENCE_VCT = 'urn:clavis:vct:ClinicianLicenseCredential:1'

const held = (over: Partial<HeldCredential>): HeldCredential => ({
  id: crypto.randomUUID(),
  format: 'dc+sd-jwt',
  credential: 'not-used-by-matching',
  issuer: 'did:ethr:0x7a69:0x1111111111111111111111111111111111111111',
  credentialIssuer: 'https://board.example/issuers/1',
  type: 'ClinicianLicenseCredential',
  vct: LICENCE_VCT,
  subject: 'did:ethr:0x7a69:0x2222222222222222222222222222222222222222',
  claims: { name: { family: 'Okafor' }, licenseNumber: 'A-1' },
  receivedAt: new Date().toISOString(),
  ...over,
})

function requestFor(query: DcqlQuery.Input): ResolvedRequest {
  const parsed = DcqlQuery.parse(query)
  return {
    verifier: {
      did: 'did:ethr:0x7a69:0x3333333333333333333333333333333333333333',
      clientId: 'decentralized_identifier:x',
    },
    nonce: 'n'.repeat(20),
    responseUri: 'https://hospital.example/response',
    responseMode: 'direct_post',
    payload: {},
    query: parsed,
    asked: parsed.credentials.map((c) => ({ id: c.id, format: c.format, claims: [], required: true })),
  }
}

describe('createPresenter().match (DCQL)', () => {
  const presenter = createPresenter({ resolver: { resolve: async () => ({}) as never } })

  it('finds the held credentials of the asked format, type and claims, and nothing else', () => {
    const sdLicence = held({})
    const jwtLicence = held({ format: 'jwt_vc_json', vct: undefined })
    const identity = held({
      type: 'PatientIdentityCredential',
      vct: 'urn:clavis:vct:PatientIdentityCredential:1',
    })
    const noNumber = held({ claims: { name: { family: 'X' } } })
    const request = requestFor({
      credentials: [
        {
          id: 'sd',
          format: 'dc+sd-jwt',
          meta: { vct_values: [LICENCE_VCT] },
          claims: [{ path: ['licenseNumber'] }],
        },
        {
          id: 'jwt',
          format: 'jwt_vc_json',
          meta: { type_values: [['ClinicianLicenseCredential']] },
          claims: [{ path: ['credentialSubject', 'licenseNumber'] }],
        },
      ],
    })
    const matches = presenter.match(request, [sdLicence, jwtLicence, identity, noNumber])
    expect(matches.sd?.map((c) => c.id)).toEqual([sdLicence.id])
    expect(matches.jwt?.map((c) => c.id)).toEqual([jwtLicence.id])
  })

  it('answers an empty list for a query nothing held satisfies', () => {
    const request = requestFor({
      credentials: [
        {
          id: 'grant',
          format: 'dc+sd-jwt',
          meta: { vct_values: ['urn:clavis:vct:AccessGrantCredential:1'] },
        },
      ],
    })
    expect(presenter.match(request, [held({})])).toEqual({ grant: [] })
  })

  it('refuses to answer without a credential for a required query', async () => {
    const request = requestFor({
      credentials: [{ id: 'licence', format: 'dc+sd-jwt', meta: { vct_values: [LICENCE_VCT] } }],
    })
    await expect(
      presenter.respond({
        request,
        chosen: {},
        key: {
          did: 'did:x',
          kid: 'did:x#k',
          alg: 'ES256K',
          jwk: { kty: 'EC', crv: 'secp256k1', x: '', y: '' },
          sign: async () => '',
        },
      }),
    ).rejects.toMatchObject({ code: 'no_matching_credential' })
  })
})

describe('memoryCredentialStore', () => {
  it('keeps copies: what a caller changes afterwards is not in the store', async () => {
    const store = memoryCredentialStore()
    const c = held({})
    await store.put(c)
    c.claims.licenseNumber = 'changed'
    const [kept] = await store.list()
    expect(kept?.claims.licenseNumber).toBe('A-1')
    expect(await store.delete(c.id)).toBe(true)
    expect(await store.delete(c.id)).toBe(false)
    expect(await store.list()).toEqual([])
  })
})
