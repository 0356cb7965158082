import type { HolderKey } from '@clavis/holder'
import { expect } from 'vitest'
import type { TestAgent } from './harness'
import { holderKey, type Json } from './holders'

// What the OpenID4VCI/VP tests share: a wallet key, DCQL queries, and staff calls for offers and
// presentation requests.

export const LICENCE_VCT = 'urn:clavis:vct:ClinicianLicenseCredential:1'
export const IDENTITY_VCT = 'urn:clavis:vct:PatientIdentityCredential:1'

type Org = Pick<TestAgent['board'], 'id' | 'token'>

/** A new did:ethr key as @clavis/holder takes it. */
export function walletKey(): HolderKey {
  const k = holderKey()
  return { did: k.did, kid: k.kid, alg: 'ES256K', jwk: k.jwk, sign: k.signer }
}

/**
 * A DCQL query for one SD-JWT VC of `vct` with the claims at `paths` (top-level names).
 *
 * @example
 * sdJwtQuery('licence', LICENCE_VCT, ['licenseNumber'])
 */
export function sdJwtQuery(id: string, vct: string, claims: string[]): Json {
  return {
    credentials: [
      {
        id,
        format: 'dc+sd-jwt',
        meta: { vct_values: [vct] },
        claims: claims.map((name) => ({ path: [name] })),
      },
    ],
  }
}

/** A credential offer made by `org`'s staff (201 expected). */
export async function offerOf(t: TestAgent, org: Org, body: Json) {
  const res = await t.request('POST', `/v1/organisations/${org.id}/offers`, { token: org.token, body })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as {
    id: string
    offerUri: string
    offerUriByValue: string
    txCode: string
    configurationIds: string[]
    credentialOffer: Json
  }
}

/** An OpenID4VP request made by `org`'s staff (201 expected). */
export async function vpRequestOf(t: TestAgent, org: Org, body: Json) {
  const res = await t.request('POST', `/v1/organisations/${org.id}/oid4vp/requests`, {
    token: org.token,
    body,
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as { id: string; requestUri: string; clientId: string }
}

/** How `org`'s OpenID4VP request stands, with its result (staff). */
export async function vpResultOf(t: TestAgent, org: Org, id: string) {
  return (await t.request('GET', `/v1/organisations/${org.id}/oid4vp/requests/${id}`, { token: org.token }))
    .body
}
