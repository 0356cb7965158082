import { OPERATIONS, type OperationName } from '@clavis/api'
import { type ApiClient, ApiError, createApiClient, isApiError } from '@clavis/api/client'
import { createPresenter, createReceiver, memoryCredentialStore } from '@clavis/holder'
import { presentSdJwtVc } from '@clavis/sd-jwt'
import { signTokenStatusListJwt, TokenStatusList } from '@clavis/status'
import { presentJwtVp } from '@clavis/verify'
import { setGlobalConfig } from '@openid4vc/oauth2'
import { CompactEncrypt, exportJWK, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  clinicianWithLicence,
  dpopProof,
  grant,
  inboxKeyBinding,
  type Patient,
  publishGrantList,
  syntheticRecordsFor,
} from './access-kit'
import { inDays, licenceClaims, patientClaims, startTestAgent, type TestAgent } from './harness'
import { decodeJwt, holderKey } from './holders'
import { chainResolver } from './interop-kit'
import { walletKey } from './oid4vc-kit'

// The contract end to end: the main flows through the typed client of @clavis/api, over HTTP, against
// a real agent, with every answer checked against the contract. Each operation's documented success
// answer is met at least once, and none carries a field the contract does not name.

const clinician = holderKey()
const patient = holderKey()

let t: TestAgent
/** Every answer read: operation, status and body text. */
const answers: { operation: OperationName; status: number; text: string }[] = []
const client = (token?: string): ApiClient =>
  createApiClient({ baseUrl: t.url, token, validateResponses: true, onAnswer: (a) => answers.push(a) })
let anyone: ApiClient
let operator: ApiClient
let board: ApiClient
let hospital: ApiClient

beforeAll(async () => {
  t = await startTestAgent()
  anyone = client()
  operator = client(t.admin)
  board = client(t.board.token)
  hospital = client(t.hospital.token)
})
afterAll(async () => {
  await t?.stop()
})

/** The ApiError a call fails with. */
async function refusal(call: Promise<unknown>): Promise<ApiError> {
  const e = await call.then(
    () => undefined,
    (error: unknown) => error,
  )
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`)
  return e
}

const licence = () => ({
  type: 'ClinicianLicenseCredential' as const,
  subject: clinician.did,
  claims: licenceClaims(),
  validUntil: inDays(365),
})
const identity = () => ({
  type: 'PatientIdentityCredential' as const,
  format: 'dc+sd-jwt' as const,
  subject: patient.did,
  holderJwk: patient.jwk,
  claims: patientClaims(),
  validUntil: inDays(365),
})

describe('the contract, walked through the typed client', () => {
  it('the system: OpenAPI, health (anyone and the operator), who am I', async () => {
    const doc = await anyone.getOpenApi()
    expect(Object.keys(doc.paths)).toContain('/v1/verify/presentation')
    expect((await anyone.getHealth()).chain.chainId).toBe(31337)
    const detailed = await operator.getHealth()
    expect(detailed.database?.type).toBeDefined()
    expect(detailed.chain.embedded).toBe(true)
    expect(await operator.whoAmI()).toEqual({ role: 'admin' })
    const me = await board.whoAmI()
    expect(me.role === 'staff' && me.organisation.id).toBe(t.board.id)
  })

  it('organisations: create, list, get, reset the token', async () => {
    const created = await operator.createOrganisation({ body: { name: 'Contract Board', kind: 'board' } })
    expect(created.organisation.status).toBe('active')
    const { organisations } = await anyone.listOrganisations()
    expect(organisations.map((o) => o.id)).toContain(created.organisation.id)
    expect(await anyone.getOrganisation({ params: { id: created.organisation.id } })).toEqual(
      created.organisation,
    )
    const { token } = await operator.resetOrganisationToken({ params: { id: created.organisation.id } })
    expect((await client(token).whoAmI()).role).toBe('staff')
  })

  it('credentials: issue (JWT-VC, SD-JWT VC, an idempotent retry), list, get', async () => {
    const first = await board.issueCredential({
      params: { id: t.board.id },
      headers: { 'Idempotency-Key': 'contract-1' },
      body: licence(),
    })
    expect(first).toMatchObject({ format: 'jwt_vc', status: 'valid', issuer: t.board.did })
    const retried = await board.issueCredential({
      params: { id: t.board.id },
      headers: { 'Idempotency-Key': 'contract-1' },
      body: { ...licence(), validUntil: first.validUntil! },
    })
    expect(retried.id).toBe(first.id)
    const sd = await hospital.issueCredential({ params: { id: t.hospital.id }, body: identity() })
    expect(sd.format).toBe('dc+sd-jwt')
    const page = await board.listCredentials({ params: { id: t.board.id }, query: { limit: 5, offset: 0 } })
    expect(page.credentials.map((c) => c.id)).toContain(first.id)
    const none = await board.listCredentials({ params: { id: t.board.id }, query: { reissueRequired: true } })
    expect(none.total).toBe(0)
    expect(await board.getCredential({ params: { id: t.board.id, credentialId: first.id } })).toEqual(first)
  })

  it('trust and verification: a trusted licence is valid; without a verifier nothing is', async () => {
    const { entries } = await hospital.getTrustList({ params: { id: t.hospital.id } })
    expect(entries.find((e) => e.issuer === t.board.did)?.types).toContain('ClinicianLicenseCredential')
    await hospital.addTrust({
      params: { id: t.hospital.id },
      body: { issuer: clinician.did, types: ['AccessGrantCredential', 'PatientIdentityCredential'] },
    })
    const left = await hospital.removeTrust({
      params: { id: t.hospital.id, issuer: clinician.did },
      query: { type: 'AccessGrantCredential' },
    })
    expect(left.entries.find((e) => e.issuer === clinician.did)?.types).toEqual(['PatientIdentityCredential'])
    const vc = await board.issueCredential({ params: { id: t.board.id }, body: licence() })
    const valid = await anyone.verifyCredential({ body: { credential: vc.jwt, verifier: t.hospital.id } })
    expect(valid).toMatchObject({ valid: true, verifier: t.hospital.id, type: 'ClinicianLicenseCredential' })
    const nobody = await anyone.verifyCredential({ body: { credential: vc.jwt } })
    expect(nobody).toMatchObject({ valid: false, verifier: null, checks: { issuerTrust: { passed: false } } })
    const batch = await hospital.verifyCredentialBatch({
      params: { id: t.hospital.id },
      body: { credentials: [vc.jwt, 'not a credential'] },
    })
    expect(batch.summary).toEqual({ total: 2, valid: 1, notValid: 1 })
    expect(batch.results[0]).toEqual({ ...valid, verifier: undefined })
  })

  it('status: suspend, reinstate, revoke; the signed lists are served', async () => {
    const vc = await board.issueCredential({ params: { id: t.board.id }, body: licence() })
    const change = (action: 'suspend' | 'reinstate' | 'revoke') =>
      board.changeCredentialStatus({ params: { id: t.board.id, credentialId: vc.id }, body: { action } })
    expect((await change('suspend')).status).toBe('suspended')
    expect((await change('reinstate')).status).toBe('valid')
    const revoked = await change('revoke')
    expect(revoked.status).toBe('revoked')
    const listUrl = new URL(revoked.lists[0]!)
    const [group, name] = listUrl.pathname.split('/').slice(-2) as [string, string]
    const jwt = await anyone.getStatusList({ params: { group, name } })
    expect(decodeJwt(jwt).payload.iss).toBe(t.board.did)
    const sd = await hospital.issueCredential({ params: { id: t.hospital.id }, body: identity() })
    const token = await hospital.changeCredentialStatus({
      params: { id: t.hospital.id, credentialId: sd.id },
      body: { action: 'revoke' },
    })
    const [tokenGroup, tokenName] = new URL(token.lists[0]!).pathname.split('/').slice(-2) as [string, string]
    expect(await anyone.getStatusList({ params: { group: tokenGroup, name: tokenName } })).toMatch(/^ey/)
  })

  it('a list a DID signs itself: uploaded, then served as sent', async () => {
    const url = `${t.agent.ctx.publicUrl}/v1/status-lists/dids/${patient.did}/grants`
    const list = await signTokenStatusListJwt({
      issuer: patient.did,
      kid: patient.kid,
      alg: 'ES256K',
      signer: patient.signer,
      uri: url,
      list: TokenStatusList.create({ size: 131_072, bits: 2 }),
      iat: new Date(Date.now() - 60_000),
      ttlSeconds: 300,
      expiresInSeconds: 86_400,
    })
    const params = { did: patient.did, name: 'grants' }
    expect(await anyone.uploadStatusList({ params, body: list })).toMatchObject({ url })
    expect(await anyone.getUploadedStatusList({ params })).toBe(list)
  })

  it('presentations: a JWT VP and an SD-JWT VC presentation, each with its own request', async () => {
    const vc = await board.issueCredential({ params: { id: t.board.id }, body: licence() })
    const asked = await hospital.createPresentationRequest({ params: { id: t.hospital.id }, body: {} })
    const vp = await presentJwtVp({
      credentials: [vc.jwt],
      holder: clinician.did,
      kid: clinician.kid,
      signer: clinician.signer,
      nonce: asked.nonce,
      audience: asked.audience,
    })
    const body = { verifier: t.hospital.id, nonce: asked.nonce, requestSecret: asked.requestSecret }
    const checked = await anyone.verifyPresentation({ body: { presentation: vp, ...body } })
    expect(checked).toMatchObject({ valid: true, format: 'jwt_vp', holder: clinician.did })
    const sd = await hospital.issueCredential({ params: { id: t.hospital.id }, body: identity() })
    const again = await hospital.createPresentationRequest({
      params: { id: t.hospital.id },
      body: { ttlSeconds: 60 },
    })
    const presentation = await presentSdJwtVc({
      credential: sd.jwt,
      disclose: ['birthDate'],
      keyBinding: { alg: 'ES256K', signer: patient.signer, nonce: again.nonce, audience: again.audience },
    })
    const disclosed = await anyone.verifyPresentation({
      body: { presentation, verifier: t.hospital.id, nonce: again.nonce, requestSecret: again.requestSecret },
    })
    expect(disclosed).toMatchObject({
      valid: true,
      format: 'dc+sd-jwt',
      disclosed: { birthDate: expect.any(String) },
    })
  })

  it('offers: a board makes an OpenID4VCI offer and follows it', async () => {
    const offer = await board.createOffer({
      params: { id: t.board.id },
      body: { type: 'ClinicianLicenseCredential', claims: licenceClaims(), validUntil: inDays(365) },
    })
    expect(offer.offerUri).toMatch(/^openid-credential-offer:/)
    const status = await board.getOffer({ params: { id: t.board.id, offerId: offer.id } })
    expect(status).toMatchObject({ id: offer.id, state: 'offered', issued: [] })
  })

  it('OpenID4VP: a hospital asks for a licence with a DCQL query and reads the request back', async () => {
    const asked = await hospital.createVpRequest({
      params: { id: t.hospital.id },
      body: {
        dcql: {
          credentials: [
            {
              id: 'licence',
              format: 'dc+sd-jwt',
              meta: { vct_values: ['urn:clavis:vct:ClinicianLicenseCredential:1'] },
              claims: [{ path: ['licenseNumber'] }],
            },
          ],
        },
      },
    })
    expect(asked.requestUri).toMatch(/^openid4vp:/)
    const read = await hospital.getVpRequest({ params: { id: t.hospital.id, requestId: asked.id } })
    expect(read).toMatchObject({ id: asked.id, state: 'pending' })
  })

  it('records, record access, the grant inbox, the access report and the audit trail', async () => {
    setGlobalConfig({ allowInsecureUrls: true })
    const resolver = (await chainResolver(t)).resolver
    const id = t.hospital.id
    const doctor = await clinicianWithLicence(t, resolver)
    const key = walletKey()
    const registered = await hospital.registerPatient({
      params: { id },
      body: { claims: patientClaims(), syntheticRecords: true },
    })
    await createReceiver({ resolver }).receive({
      offer: registered.offer.offerUri,
      txCode: registered.offer.txCode,
      key,
      store: memoryCredentialStore(),
    })
    const patientId = registered.patient.id
    expect((await hospital.listPatients({ params: { id } })).patients.map((p) => p.id)).toContain(patientId)
    expect(await hospital.getPatient({ params: { id, patientId } })).toMatchObject({ did: key.did })
    const [record] = syntheticRecordsFor(patientId, 99)
    expect(await hospital.putRecords({ params: { id, patientId }, body: { resources: [record] } })).toEqual({
      stored: [`${record!.resourceType}/${record!.id}`],
    })
    const patient: Patient = {
      key,
      id: patientId,
      listUrl: `${t.url}/v1/status-lists/dids/${key.did}/grants`,
      revoked: new Set(),
      iat: Math.floor(Date.now() / 1000) - 5,
    }
    await publishGrantList(t, patient)
    const g = await grant(patient, doctor, { audience: t.hospital.did, resolver })

    const created = await anyone.createAccessRequest({ params: { id }, body: { patient: key.did } })
    const presenter = createPresenter({ resolver })
    const request = await presenter.resolve(created.requestUri)
    await presenter.respond({ request, chosen: { licence: doctor.licence, grant: g.held }, key: doctor.key })
    const asker = client(created.secret)
    expect(await asker.getAccessRequest({ params: { id, requestId: created.id } })).toMatchObject({
      status: 'decided',
      decision: { permitted: true },
    })
    const token = await asker.takeAccessToken({
      params: { id },
      body: { requestId: created.id },
      headers: { DPoP: await dpopProof(doctor.key, 'POST', `${t.url}/v1/organisations/${id}/access/token`) },
    })
    expect(token.token_type).toBe('DPoP')

    const { publicKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true })
    const binding = await inboxKeyBinding(doctor.key, await exportJWK(publicKey))
    const inbox = { id, did: doctor.key.did }
    await anyone.publishInboxKey({ params: inbox, body: { binding } })
    expect(await anyone.getInboxKey({ params: inbox })).toEqual({ did: doctor.key.did, binding })
    const jwe = await new CompactEncrypt(new TextEncoder().encode(g.credential))
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM' })
      .encrypt(publicKey)
    const left = await anyone.deliverToInbox({
      params: inbox,
      body: { jwe, from: key.did },
      headers: {
        DPoP: await dpopProof(
          key,
          'POST',
          `${t.url}/v1/organisations/${id}/inbox/${encodeURIComponent(doctor.key.did)}`,
        ),
      },
    })
    const inboxUrl = `${t.url}/v1/organisations/${id}/inbox/${encodeURIComponent(doctor.key.did)}`
    const read = await anyone.readInbox({
      params: inbox,
      headers: { DPoP: await dpopProof(doctor.key, 'GET', inboxUrl) },
    })
    expect(read.messages.map((m) => m.id)).toEqual([left.id])
    await anyone.removeInboxMessage({
      params: { ...inbox, messageId: left.id },
      headers: { DPoP: await dpopProof(doctor.key, 'DELETE', `${inboxUrl}/${left.id}`) },
    })
    const report = await anyone.getAccessReport({
      params: { id, did: key.did },
      headers: {
        DPoP: await dpopProof(
          key,
          'GET',
          `${t.url}/v1/organisations/${id}/access-report/${encodeURIComponent(key.did)}`,
        ),
      },
    })
    expect(report.entries[0]).toMatchObject({
      kind: 'access.decided',
      permitted: true,
      clinicianDid: doctor.key.did,
    })

    expect((await hospital.listAudit({ params: { id }, query: { limit: 2 } })).entries).toHaveLength(2)
    expect(await hospital.verifyAudit({ params: { id }, body: {} })).toMatchObject({ ok: true })
    expect((await hospital.exportAudit({ params: { id }, query: { limit: 3 } })).entry).toHaveLength(3)
    const checkpoint = await hospital.createAuditCheckpoint({ params: { id } })
    expect((await anyone.listAuditCheckpoints({ params: { id } })).checkpoints).toContainEqual(checkpoint)
  })

  it("a board's DID: resolve, services and keys on chain, rotations, deactivation", async () => {
    const created = await operator.createOrganisation({ body: { name: 'Rotating Board', kind: 'board' } })
    const own = client(created.token)
    const params = { id: created.organisation.id }
    const resolved = await anyone.resolveDid({ params: { did: created.organisation.did } })
    expect(resolved.didDocument?.id).toBe(created.organisation.did)
    const service = await own.addDidService({
      params,
      body: { type: 'LinkedDomains', serviceEndpoint: 'https://board.example.org/' },
    })
    expect(service.txHash).toMatch(/^0x/)
    const key = await own.addDidKey({ params, body: { validitySeconds: 3600 } })
    expect((await own.revokeDidKey({ params: { ...params, kid: key.kid } })).txHash).toMatch(/^0x/)
    await own.issueCredential({ params, body: licence() })
    const routine = await own.rotateDidKey({ params, body: { policy: 'routine' } })
    expect(routine.oldKeyVerifiableUntil).toBeDefined()
    const compromise = await own.rotateDidKey({ params, body: { policy: 'compromise' } })
    expect(compromise.reissue).toHaveLength(0)
    const did = await anyone.getOrganisationDid({ params })
    expect(did.events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['create', 'add-service', 'rotate-routine', 'rotate-compromise']),
    )
    expect((await own.deactivateDid({ params })).txHash).toMatch(/^0x/)
    const gone = await anyone.getOrganisation({ params })
    expect(gone.status).toBe('deactivated')
  })

  it('refusals are typed ApiErrors: the code, the HTTP status and every bad field', async () => {
    const bad = await refusal(
      board.issueCredential({ params: { id: t.board.id }, body: { ...licence(), claims: {} } }),
    )
    expect(bad).toMatchObject({ code: 'invalid_claims', status: 422 })
    expect(bad.issues.length).toBeGreaterThan(1)
    expect(bad.issues.every((i) => i.path.startsWith('claims.'))).toBe(true)
    const missing = await refusal(board.getCredential({ params: { id: t.board.id, credentialId: 'nope' } }))
    expect(missing).toMatchObject({ code: 'not_found', status: 404 })
    expect(isApiError(await refusal(client('wrong').whoAmI()), 'unauthorized')).toBe(true)
    const unreachable = await refusal(createApiClient({ baseUrl: 'http://127.0.0.1:1' }).getHealth())
    expect(unreachable).toMatchObject({ code: 'agent_unreachable', status: 0 })
  })

  it('met every documented success answer, each body exactly as the contract describes it', () => {
    const met = new Set(answers.filter((a) => a.status < 300).map((a) => `${a.operation} ${a.status}`))
    const documented = Object.entries(OPERATIONS).flatMap(([name, op]) =>
      Object.keys(op.responses).map((status) => `${name} ${status}`),
    )
    expect(documented.filter((d) => !met.has(d))).toEqual([])
    for (const a of answers) {
      const answer = a.status < 300 ? Object.values(OPERATIONS[a.operation].responses)[0] : undefined
      if (answer?.kind !== 'json') continue
      // A field the contract does not name would be dropped by parsing: the body must come back whole.
      const body = JSON.parse(a.text)
      expect(answer.schema.parse(body), `${a.operation} ${a.status}`).toEqual(body)
    }
  })
})
