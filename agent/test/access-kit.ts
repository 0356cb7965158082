import { base64urlJson } from '@clavis/crypto'
import {
  checkReceivedCredential,
  createPresenter,
  createReceiver,
  dpopProof,
  type HeldCredential,
  type HolderKey,
  memoryCredentialStore,
} from '@clavis/holder'
import { issueSdJwtVc, presentSdJwtVc } from '@clavis/sd-jwt'
import { signTokenStatusListJwt, TOKEN_STATUS, TokenStatusList, tokenStatusEntry } from '@clavis/status'
import type { Resolver } from 'did-resolver'
import { expect } from 'vitest'
import { syntheticRecordsFor } from '../src/features/records/fhir/synthetic'
import { inDays, licenceClaims, patientClaims, type TestAgent } from './harness'
import { bindKey } from './holders'
import { offerOf, walletKey } from './oid4vc-kit'

// What the record-access tests share: a clinician with a licence in a wallet, a registered patient
// with records and a grant list, grants, access requests answered from the wallet, DPoP proofs.

type Org = Pick<TestAgent['board'], 'id' | 'token' | 'did'>

export interface Clinician {
  key: HolderKey
  store: ReturnType<typeof memoryCredentialStore>
  licence: HeldCredential
}

/** A clinician whose wallet received a licence (SD-JWT VC) from `board` through OpenID4VCI. */
export async function clinicianWithLicence(
  t: TestAgent,
  resolver: Resolver,
  board: Org = t.board,
): Promise<Clinician> {
  const key = walletKey()
  const store = memoryCredentialStore()
  const offer = await offerOf(t, board, {
    type: 'ClinicianLicenseCredential',
    claims: licenceClaims(),
    validUntil: inDays(365),
    formats: ['dc+sd-jwt'],
  })
  const [licence] = await createReceiver({ resolver }).receive({
    offer: offer.offerUri,
    txCode: offer.txCode,
    key,
    store,
  })
  return { key, store, licence: licence! }
}

export interface Patient {
  key: HolderKey
  id: string
  listUrl: string
  revoked: Set<number>
  iat: number
}

/** A patient registered at `hospital` with synthetic records, whose wallet took the identity credential (linking its DID). */
export async function registeredPatient(
  t: TestAgent,
  resolver: Resolver,
  hospital: Org = t.hospital,
): Promise<Patient> {
  const key = walletKey()
  const res = await t.request('POST', `/v1/organisations/${hospital.id}/patients`, {
    token: hospital.token,
    body: { claims: patientClaims(), syntheticRecords: true },
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  const { patient, offer } = res.body as {
    patient: { id: string }
    offer: { offerUri: string; txCode: string }
  }
  await createReceiver({ resolver }).receive({
    offer: offer.offerUri,
    txCode: offer.txCode,
    key,
    store: memoryCredentialStore(),
  })
  const p: Patient = {
    key,
    id: patient.id,
    listUrl: `${t.url}/v1/status-lists/dids/${key.did}/grants`,
    revoked: new Set(),
    iat: Math.floor(Date.now() / 1000) - 5,
  }
  await publishGrantList(t, p)
  return p
}

/** The patient signs and uploads their grant list (revoked indexes INVALID). */
export async function publishGrantList(t: TestAgent, p: Patient): Promise<void> {
  const list = TokenStatusList.create({ size: 131072, bits: 2 })
  for (const i of p.revoked) list.set(i, TOKEN_STATUS.INVALID)
  p.iat += 1
  const jwt = await signTokenStatusListJwt({
    issuer: p.key.did,
    kid: p.key.kid,
    alg: 'ES256K',
    signer: (input) => p.key.sign(input),
    uri: p.listUrl,
    list,
    iat: new Date(p.iat * 1000),
    ttlSeconds: 60,
  })
  const res = await t.request('PUT', `/v1/status-lists/dids/${p.key.did}/grants`, {
    raw: jwt,
    headers: { 'content-type': 'application/statuslist+jwt' },
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  // This process's verifier sees the new list at once (others within its ttl).
  t.agent.ctx.status.clear()
}

let nextIndex = 1

/** A grant the patient issues to `grantee` (kept in the grantee's wallet after the wallet's checks). */
export async function grant(
  p: Patient,
  grantee: { key: HolderKey; store?: Clinician['store'] },
  o: {
    audience: string
    /** Single records the grant is limited to. */
    records?: string[]
    /** Claims made selectively disclosable (a Clavis wallet hides none). */
    disclosable?: string[]
    scope?: string[]
    validUntil?: string
    validFrom?: Date
    resolver: Resolver
    purposeOfUse?: string
  },
): Promise<{ index: number; held: HeldCredential; credential: string }> {
  const index = nextIndex++
  const credential = await issueSdJwtVc({
    type: 'AccessGrantCredential',
    issuer: p.key.did,
    kid: p.key.kid,
    alg: 'ES256K',
    signer: (input) => p.key.sign(input),
    subject: grantee.key.did,
    jti: `urn:uuid:${crypto.randomUUID()}`,
    claims: {
      audience: o.audience,
      scope: o.scope ?? ['patient/Observation.rs', 'patient/Condition.rs'],
      purposeOfUse: o.purposeOfUse ?? 'TREAT',
      ...(o.records ? { records: o.records } : {}),
    },
    ...(o.disclosable ? { disclosable: o.disclosable } : {}),
    holderJwk: grantee.key.jwk,
    validFrom: o.validFrom ?? new Date(),
    validUntil: new Date(o.validUntil ?? inDays(30)),
    status: tokenStatusEntry({ uri: p.listUrl, idx: index }),
  })
  const checked = await checkReceivedCredential({
    credential,
    format: 'dc+sd-jwt',
    key: grantee.key,
    resolver: o.resolver,
    expectType: 'AccessGrantCredential',
  }).catch(() => undefined)
  const held: HeldCredential = {
    id: crypto.randomUUID(),
    credential,
    format: 'dc+sd-jwt',
    issuer: p.key.did,
    credentialIssuer: p.key.did,
    type: 'AccessGrantCredential',
    vct: 'urn:clavis:vct:AccessGrantCredential:1',
    subject: grantee.key.did,
    claims: checked?.claims ?? {
      audience: o.audience,
      scope: o.scope,
      purposeOfUse: o.purposeOfUse ?? 'TREAT',
    },
    receivedAt: new Date().toISOString(),
  }
  await grantee.store?.put(held)
  return { index, held, credential }
}

/** Asks `hospital` for the patient's records and answers from the wallet with `chosen`; the request's id and secret. */
export async function askAccess(
  t: TestAgent,
  resolver: Resolver,
  o: {
    hospital?: Org
    patientDid: string
    key: HolderKey
    chosen: { licence?: HeldCredential; grant?: HeldCredential }
    emergency?: { reason: string }
  },
): Promise<{ id: string; secret: string; answered: { accepted: true } | { refused: string } }> {
  const hospital = o.hospital ?? t.hospital
  const res = await t.request('POST', `/v1/organisations/${hospital.id}/access/requests`, {
    body: { patient: o.patientDid, ...(o.emergency ? { emergency: o.emergency } : {}) },
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  const created = res.body as { id: string; requestUri: string; secret: string }
  const presenter = createPresenter({ resolver })
  const request = await presenter.resolve(created.requestUri)
  // A wallet that answers without what is missing (the hospital decides, not the wallet).
  for (const a of request.asked) if (!o.chosen[a.id as 'licence']) a.required = false
  const answered = await presenter
    .respond({ request, chosen: o.chosen, key: o.key })
    .catch((e: Error) => ({ refused: e.message }))
  return { id: created.id, secret: created.secret, answered }
}

/**
 * Asks for access and answers as a wallet would not: the licence presented properly by `key`, and
 * `grantSdJwt` (someone else's) with a key-binding JWT signed by `key` all the same.
 */
export async function askAccessWithForeignGrant(
  t: TestAgent,
  resolver: Resolver,
  o: { patientDid: string; key: HolderKey; licence: HeldCredential; grantSdJwt: string },
): Promise<{ id: string; secret: string; status: number }> {
  const res = await t.request('POST', `/v1/organisations/${t.hospital.id}/access/requests`, {
    body: { patient: o.patientDid },
  })
  const created = res.body as { id: string; requestUri: string; secret: string }
  const request = await createPresenter({ resolver }).resolve(created.requestUri)
  const audience = request.verifier.clientId
  const licence = await presentSdJwtVc({
    credential: o.licence.credential,
    disclose: [],
    keyBinding: { alg: 'ES256K', signer: (input) => o.key.sign(input), nonce: request.nonce, audience },
  })
  const grant = await bindKey({
    sdJwt: o.grantSdJwt,
    signer: (input) => o.key.sign(input),
    nonce: request.nonce,
    audience,
  })
  const form = new URLSearchParams({
    vp_token: JSON.stringify({ licence: [licence], grant: [grant] }),
    state: request.state ?? '',
  })
  const answer = await fetch(request.responseUri, { method: 'POST', body: form })
  return { id: created.id, secret: created.secret, status: answer.status }
}

/** The decision on an access request (read with its secret). */
export async function decisionOf(t: TestAgent, id: string, secret: string, hospital: Org = t.hospital) {
  const res = await t.request('GET', `/v1/organisations/${hospital.id}/access/requests/${id}`, {
    token: secret,
  })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body as {
    status: string
    decision?: {
      permitted: boolean
      reason?: string
      message?: string
      scopes?: string[]
      patientId?: string
      checks: Record<string, { passed: boolean; code?: string }>
    }
  }
}

/** Takes the token of a permitted request with a DPoP proof by `key`. */
export async function takeToken(
  t: TestAgent,
  o: { id: string; secret: string; key: HolderKey; hospital?: Org },
) {
  const hospital = o.hospital ?? t.hospital
  const path = `/v1/organisations/${hospital.id}/access/token`
  return t.request('POST', path, {
    token: o.secret,
    body: { requestId: o.id },
    headers: { dpop: await dpopProof(o.key, 'POST', `${t.url}${path}`) },
  })
}

/** A FHIR GET with the token and a DPoP proof by `key`. */
export async function fhirGet(t: TestAgent, path: string, token: string, key: HolderKey) {
  const url = new URL(`${t.url}${path}`)
  return t.request('GET', path, {
    headers: {
      authorization: `DPoP ${token}`,
      dpop: await dpopProof(key, 'GET', `${url.origin}${url.pathname}`, token),
    },
  })
}

/** A DID holder's signed statement of their inbox encryption key (`clavis-inbox-key+jwt`). */
export async function inboxKeyBinding(key: HolderKey, jwk: object, iat = Math.floor(Date.now() / 1000)) {
  const input = `${base64urlJson({ alg: 'ES256K', typ: 'clavis-inbox-key+jwt', kid: key.kid })}.${base64urlJson({ iss: key.did, iat, jwk })}`
  return `${input}.${await key.sign(input)}`
}

export { dpopProof, syntheticRecordsFor }
