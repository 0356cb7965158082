import { ERROR_STATUS, isErrorCode } from '@clavis/api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_DATABASE } from '../../test/database'
import {
  CLINICIAN_DID,
  inDays,
  licenceClaims,
  PATIENT_DID,
  patientClaims,
  startTestAgent,
  type TestAgent,
} from '../../test/harness'
import { MAX_BODY_BYTES } from './app'

// The agent's HTTP API end to end: real embedded chain, real SQLite, in-process requests.

let t: TestAgent

beforeAll(async () => {
  t = await startTestAgent()
})
afterAll(async () => {
  await t?.stop()
})

/** Asserts an error answer: status, stable code, a non-empty message and (optionally) the bad field. */
function expectError(
  res: Awaited<ReturnType<TestAgent['request']>>,
  status: number,
  code: string,
  path?: string,
): void {
  expect(res.status).toBe(status)
  expect(res.body.code).toBe(code)
  expect(ERROR_STATUS[code as keyof typeof ERROR_STATUS]).toBe(status)
  expect(typeof res.body.message).toBe('string')
  expect(res.body.message.length).toBeGreaterThan(0)
  if (path !== undefined) expect(res.body.path).toBe(path)
}

const licence = (overrides: Record<string, unknown> = {}) => ({
  type: 'ClinicianLicenseCredential',
  subject: CLINICIAN_DID,
  claims: licenceClaims(),
  validUntil: inDays(365),
  ...overrides,
})

async function issueLicence(): Promise<{ id: string; jwt: string }> {
  const res = await t.request('POST', `/v1/organisations/${t.board.id}/credentials`, {
    token: t.board.token,
    body: licence(),
  })
  expect(res.status).toBe(201)
  return res.body
}

async function didDocument(did: string): Promise<{ verificationMethod: unknown[]; service?: unknown[] }> {
  const res = await t.request('GET', `/v1/dids/${encodeURIComponent(did)}`)
  expect(res.status).toBe(200)
  return res.body.didDocument
}

/** Re-encodes the JWT payload with one claim changed; the signature no longer matches. */
function tamper(jwt: string): string {
  const [h, p, s] = jwt.split('.')
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8'))
  payload.vc.credentialSubject.licenseNumber = 'Z-999999'
  return [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.')
}

describe('GET /v1/health', () => {
  it('tells anyone only that it works and the chain id and registry a verifier needs', async () => {
    const res = await t.request('GET', '/v1/health')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      status: 'ok',
      chain: {
        chainId: 31337,
        registry: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/),
        latestBlock: expect.any(Number),
      },
    })
    // A staff token sees no more than anyone.
    const staff = await t.request('GET', '/v1/health', { token: t.board.token })
    expect(Object.keys(staff.body).sort()).toEqual(['chain', 'status'])
    expect(JSON.stringify(staff.body)).not.toMatch(/127\.0\.0\.1|http:/)
  })

  it('shows the operator the deployment: chain kind, RPC origin and database', async () => {
    const res = await t.request('GET', '/v1/health', { token: t.admin })
    expect(res.status).toBe(200)
    expect(res.body.chain).toMatchObject({ chainId: 31337, embedded: true })
    expect(res.body.chain.rpcOrigin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(res.body.database.type).toBe(TEST_DATABASE)
  })

  it('sets nosniff and no-store on answers', async () => {
    const res = await t.agent.app.request('/v1/health')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('cache-control')).toBe('no-store')
  })
})

describe('GET /v1/openapi.json', () => {
  it('is OpenAPI 3.1.0 and documents every route', async () => {
    const res = await t.request('GET', '/v1/openapi.json')
    expect(res.status).toBe(200)
    expect(res.body.openapi).toBe('3.1.0')
    const routes = Object.entries(res.body.paths).flatMap(([p, ops]) =>
      Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${p}`),
    )
    const honoRoutes = t.agent.app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
    expect(new Set(routes)).toEqual(new Set(honoRoutes))
  })
})

describe('organisations', () => {
  let created: { organisation: { id: string; did: string }; token: string }

  beforeAll(async () => {
    const res = await t.request('POST', '/v1/organisations', {
      token: t.admin,
      body: { name: 'E2E Board', kind: 'board' },
    })
    expect(res.status).toBe(201)
    created = res.body
  })

  it('refuses to create without a token (401)', async () => {
    const res = await t.request('POST', '/v1/organisations', { body: { name: 'X', kind: 'board' } })
    expectError(res, 401, 'unauthorized')
  })

  it('refuses to create with an unknown token (401)', async () => {
    const res = await t.request('POST', '/v1/organisations', {
      token: 'not-a-token',
      body: { name: 'X', kind: 'board' },
    })
    expectError(res, 401, 'unauthorized')
  })

  it('refuses to create with a staff token (403)', async () => {
    const res = await t.request('POST', '/v1/organisations', {
      token: t.board.token,
      body: { name: 'X', kind: 'board' },
    })
    expectError(res, 403, 'forbidden')
  })

  it('refuses a bad kind with its path', async () => {
    const res = await t.request('POST', '/v1/organisations', {
      token: t.admin,
      body: { name: 'X', kind: 'pharmacy' },
    })
    expectError(res, 400, 'invalid_request', 'kind')
  })

  it('refuses an unknown field, naming it', async () => {
    const res = await t.request('POST', '/v1/organisations', {
      token: t.admin,
      body: { name: 'X', kind: 'board', admin: true },
    })
    expectError(res, 400, 'invalid_request', 'admin')
  })

  it('creates an organisation with a did:ethr on this chain', () => {
    expect(created.organisation).toMatchObject({ name: 'E2E Board', kind: 'board' })
    expect(created.organisation.did).toMatch(/^did:ethr:0x7a69:0x0[23][0-9a-f]{64}$/)
    expect(created.token.length).toBeGreaterThan(20)
  })

  it('lists the new organisation', async () => {
    const res = await t.request('GET', '/v1/organisations')
    expect(res.status).toBe(200)
    const ids = res.body.organisations.map((o: { id: string }) => o.id)
    expect(ids).toEqual(expect.arrayContaining([t.board.id, t.hospital.id, created.organisation.id]))
  })

  it('gets one organisation', async () => {
    const res = await t.request('GET', `/v1/organisations/${created.organisation.id}`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: created.organisation.id, did: created.organisation.did })
  })

  it('answers 404 not_found for an unknown organisation', async () => {
    expectError(await t.request('GET', '/v1/organisations/nope'), 404, 'not_found')
  })

  it('the returned staff token works on GET /v1/me', async () => {
    const res = await t.request('GET', '/v1/me', { token: created.token })
    expect(res.status).toBe(200)
    expect(res.body.role).toBe('staff')
    expect(res.body.organisation.id).toBe(created.organisation.id)
  })

  it('GET /v1/me with the admin token says admin', async () => {
    const res = await t.request('GET', '/v1/me', { token: t.admin })
    expect(res.body).toEqual({ role: 'admin' })
  })

  it('GET /v1/me without a token is 401', async () => {
    expectError(await t.request('GET', '/v1/me'), 401, 'unauthorized')
  })

  it('token reset: the old token stops working and the new one works', async () => {
    const reset = await t.request('POST', `/v1/organisations/${created.organisation.id}/token`, {
      token: t.admin,
    })
    expect(reset.status).toBe(201)
    expectError(await t.request('GET', '/v1/me', { token: created.token }), 401, 'unauthorized')
    const me = await t.request('GET', '/v1/me', { token: reset.body.token })
    expect(me.body.organisation.id).toBe(created.organisation.id)
  })

  it('token reset needs the admin token (403 with staff)', async () => {
    const res = await t.request('POST', `/v1/organisations/${t.board.id}/token`, { token: t.board.token })
    expectError(res, 403, 'forbidden')
  })

  it('token reset of an unknown organisation is 404', async () => {
    expectError(await t.request('POST', '/v1/organisations/nope/token', { token: t.admin }), 404, 'not_found')
  })
})

describe('DID resolution', () => {
  it('resolves a did:ethr of this chain', async () => {
    const res = await t.request('GET', `/v1/dids/${t.board.did}`)
    expect(res.status).toBe(200)
    expect(res.body.didDocument.id).toBe(t.board.did)
  })

  it('refuses garbage with invalid_did', async () => {
    expectError(await t.request('GET', '/v1/dids/garbage'), 400, 'invalid_did')
  })

  it('answers unknown_did for an unsupported method', async () => {
    expectError(await t.request('GET', '/v1/dids/did:web:x'), 404, 'unknown_did')
  })

  it('answers unknown_did for did:ethr on another chain', async () => {
    const did = 'did:ethr:0x1:0xb9c5714089478a327f09197987f16f9e5d936e8a'
    expectError(await t.request('GET', `/v1/dids/${did}`), 404, 'unknown_did')
  })

  it('does not crash on a percent sign that is not an escape', async () => {
    // `%zz` is not a percent-encoding, so not a DID; `%25zz` in the URL is a DID containing `%zz`.
    expectError(await t.request('GET', '/v1/dids/did:web:x%25zz'), 400, 'invalid_did')
    expectError(await t.request('GET', '/v1/dids/did:web:x%zz'), 400, 'invalid_did')
    expectError(await t.request('GET', '/v1/dids/did:web:x%252F'), 404, 'unknown_did')
  })

  it('the DID of an unknown organisation is 404', async () => {
    expectError(await t.request('GET', '/v1/organisations/nope/did'), 404, 'not_found')
  })

  it("shows an organisation's DID and its history", async () => {
    const res = await t.request('GET', `/v1/organisations/${t.board.id}/did`)
    expect(res.status).toBe(200)
    expect(res.body.did).toBe(t.board.did)
    expect(res.body.resolution.didDocument.id).toBe(t.board.did)
    expect(Array.isArray(res.body.events)).toBe(true)
  })
})

describe('DID changes', () => {
  const services = () => `/v1/organisations/${t.board.id}/did/services`
  const keys = () => `/v1/organisations/${t.board.id}/did/keys`

  it('adds a service that then appears in the DID document', async () => {
    const res = await t.request('POST', services(), {
      token: t.board.token,
      body: { type: 'LinkedDomains', serviceEndpoint: 'https://board.example.org/' },
    })
    expect(res.status).toBe(201)
    expect(res.body.txHash).toMatch(/^0x[0-9a-f]{64}$/)
    const doc = await didDocument(t.board.did)
    expect(doc.service).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'LinkedDomains', serviceEndpoint: 'https://board.example.org/' }),
      ]),
    )
  })

  it('takes a service type of 23 characters whole, refuses 24 (a registry name is 32 bytes), and the DID still changes after', async () => {
    const longest = await t.request('POST', services(), {
      token: t.board.token,
      body: { type: `L${'x'.repeat(22)}`, serviceEndpoint: 'https://long.example/' },
    })
    expect(longest.status).toBe(201)
    const doc = await didDocument(t.board.did)
    expect(doc.service).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: `L${'x'.repeat(22)}` })]),
    )
    expectError(
      await t.request('POST', services(), {
        token: t.board.token,
        body: { type: `L${'x'.repeat(23)}`, serviceEndpoint: 'https://long.example/' },
      }),
      400,
      'invalid_request',
      'type',
    )
  })

  it('refuses a NUL character in a body or a path (400), on every database', async () => {
    const res = await t.request('POST', services(), {
      token: t.board.token,
      body: { type: 'LinkedDomains', serviceEndpoint: 'https://a.example/\u0000' },
    })
    expectError(res, 400, 'invalid_request', 'serviceEndpoint')
    expect((await t.request('GET', '/v1/organisations/%00')).status).toBe(400)
  })

  it('refuses a plain-http service endpoint with its path', async () => {
    const res = await t.request('POST', services(), {
      token: t.board.token,
      body: { type: 'LinkedDomains', serviceEndpoint: 'http://evil.example' },
    })
    expectError(res, 400, 'invalid_request', 'serviceEndpoint')
  })

  it('refuses staff of another organisation (403)', async () => {
    const res = await t.request('POST', services(), {
      token: t.hospital.token,
      body: { type: 'LinkedDomains', serviceEndpoint: 'https://board.example.org/' },
    })
    expectError(res, 403, 'forbidden')
  })

  it('adds a delegate key that shows in the document, then revokes it', async () => {
    const before = (await didDocument(t.board.did)).verificationMethod.length
    const added = await t.request('POST', keys(), { token: t.board.token, body: {} })
    expect(added.status).toBe(201)
    expect(typeof added.body.kid).toBe('string')
    const withKey = await didDocument(t.board.did)
    expect(withKey.verificationMethod.length).toBe(before + 1)
    const revoked = await t.request('DELETE', `${keys()}/${added.body.kid}`, { token: t.board.token })
    expect(revoked.status).toBe(200)
    expect((await didDocument(t.board.did)).verificationMethod.length).toBe(before)
  })

  it('refuses a key validity below a minute with its path', async () => {
    const res = await t.request('POST', keys(), { token: t.board.token, body: { validitySeconds: 1 } })
    expectError(res, 400, 'invalid_request', 'validitySeconds')
  })

  it('revoking an unknown key is 404', async () => {
    const res = await t.request('DELETE', `${keys()}/deadbeef`, { token: t.board.token })
    expectError(res, 404, 'not_found')
  })

  it('revoking the controller key is 409 conflict', async () => {
    // The API does not show key ids of the controller; read it from the agent's key store.
    const controllerKid = (await t.agent.ctx.veramo.didManagerGet({ did: t.board.did })).controllerKeyId
    const res = await t.request('DELETE', `${keys()}/${controllerKid}`, { token: t.board.token })
    expectError(res, 409, 'conflict')
  })

  it('refuses a bad rotation policy with its path', async () => {
    const res = await t.request('POST', `/v1/organisations/${t.board.id}/did/rotate`, {
      token: t.board.token,
      body: { policy: 'sometimes' },
    })
    expectError(res, 400, 'invalid_request', 'policy')
  })

  it('refuses deactivation by staff of another organisation', async () => {
    const res = await t.request('POST', `/v1/organisations/${t.board.id}/did/deactivate`, {
      token: t.hospital.token,
    })
    expectError(res, 403, 'forbidden')
  })
})

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

describe('transport', () => {
  const issuePath = () => `/v1/organisations/${t.board.id}/credentials`

  it('malformed JSON is 400 malformed_json', async () => {
    const res = await t.request('POST', '/v1/verify', {
      raw: '{"credential":',
      headers: { 'content-type': 'application/json' },
    })
    expectError(res, 400, 'malformed_json')
    expect(Object.keys(res.body).sort()).toEqual(['code', 'message'])
  })

  it('a text/plain body is 415 unsupported_media_type', async () => {
    const res = await t.request('POST', '/v1/verify', {
      raw: JSON.stringify({ credential: 'abc' }),
      headers: { 'content-type': 'text/plain' },
    })
    expectError(res, 415, 'unsupported_media_type')
    expect(Object.keys(res.body).sort()).toEqual(['code', 'message'])
  })

  it('a body over 64 KiB is 413 payload_too_large (in process)', async () => {
    const res = await t.request('POST', issuePath(), {
      token: t.board.token,
      raw: JSON.stringify({ credential: 'a'.repeat(MAX_BODY_BYTES + 1) }),
      headers: { 'content-type': 'application/json' },
    })
    expectError(res, 413, 'payload_too_large')
    expect(Object.keys(res.body).sort()).toEqual(['code', 'message'])
  })

  it('a body over 64 KiB is 413 payload_too_large (over HTTP)', async () => {
    const res = await fetch(`${t.url}/v1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credential: 'a'.repeat(MAX_BODY_BYTES + 1) }),
    })
    const body = await res.json()
    expectError({ status: res.status, body }, 413, 'payload_too_large')
  })

  it('a chunked body over 64 KiB (no content-length) is 413 over HTTP', async () => {
    const chunk = new TextEncoder().encode('a'.repeat(16 * 1024))
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const res = await fetch(`${t.url}/v1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expectError({ status: res.status, body: await res.json() }, 413, 'payload_too_large')
  })

  it('a JSON look-alike content type is 415', async () => {
    const res = await t.request('POST', '/v1/verify', {
      raw: JSON.stringify({ credential: 'abc' }),
      headers: { 'content-type': 'application/json-patch+json' },
    })
    expectError(res, 415, 'unsupported_media_type')
  })

  it('JSON with a charset is accepted', async () => {
    const res = await t.request('POST', '/v1/verify', {
      raw: JSON.stringify({ credential: 'abc' }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    })
    expect(res.status).toBe(200)
  })

  it('an unknown route is 404 not_found', async () => {
    const res = await t.request('GET', '/v1/nothing-here')
    expectError(res, 404, 'not_found')
    expect(Object.keys(res.body).sort()).toEqual(['code', 'message'])
  })

  it('a JSON body that is not an object is 400', async () => {
    const res = await t.request('POST', '/v1/verify', { body: null })
    expectError(res, 400, 'invalid_request')
  })
})

describe('bad requests across endpoints', () => {
  const cases: [string, () => [string, string, Parameters<TestAgent['request']>[2]]][] = [
    [
      'create org without name',
      () => ['POST', '/v1/organisations', { token: t.admin, body: { kind: 'board' } }],
    ],
    [
      'create org, name too long',
      () => ['POST', '/v1/organisations', { token: t.admin, body: { name: 'x'.repeat(121), kind: 'board' } }],
    ],
    [
      'create org, blank name',
      () => ['POST', '/v1/organisations', { token: t.admin, body: { name: '  ', kind: 'board' } }],
    ],
    ['create org, array body', () => ['POST', '/v1/organisations', { token: t.admin, body: [] }]],
    ['me, malformed authorization', () => ['GET', '/v1/me', { headers: { authorization: 'Basic abc' } }]],
    [
      'resolve a DID with a fragment',
      () => ['GET', `/v1/dids/${encodeURIComponent(`${t.board.did}#controller`)}`, {}],
    ],
    [
      'service type with spaces',
      () => [
        'POST',
        `/v1/organisations/${t.board.id}/did/services`,
        { token: t.board.token, body: { type: 'a b', serviceEndpoint: 'https://x.example/' } },
      ],
    ],
    [
      'service endpoint javascript:',
      () => [
        'POST',
        `/v1/organisations/${t.board.id}/did/services`,
        { token: t.board.token, body: { type: 'X', serviceEndpoint: 'javascript:alert(1)' } },
      ],
    ],
    [
      'key validity a string',
      () => [
        'POST',
        `/v1/organisations/${t.board.id}/did/keys`,
        { token: t.board.token, body: { validitySeconds: '60' } },
      ],
    ],
    [
      'rotate without a body',
      () => ['POST', `/v1/organisations/${t.board.id}/did/rotate`, { token: t.board.token }],
    ],
    [
      'issue, claims an array',
      () => [
        'POST',
        `/v1/organisations/${t.board.id}/credentials`,
        { token: t.board.token, body: licence({ claims: [] }) },
      ],
    ],
    [
      'issue, validUntil not a date',
      () => [
        'POST',
        `/v1/organisations/${t.board.id}/credentials`,
        { token: t.board.token, body: licence({ validUntil: 'tomorrow' }) },
      ],
    ],
    [
      'issue, validUntil before validFrom',
      () => [
        'POST',
        `/v1/organisations/${t.board.id}/credentials`,
        { token: t.board.token, body: licence({ validFrom: inDays(10), validUntil: inDays(5) }) },
      ],
    ],
    [
      'issue for another organisation',
      () => [
        'POST',
        `/v1/organisations/${t.hospital.id}/credentials`,
        { token: t.board.token, body: licence() },
      ],
    ],
    [
      'list, negative offset',
      () => ['GET', `/v1/organisations/${t.board.id}/credentials?offset=-1`, { token: t.board.token }],
    ],
    ['verify, credential not a string', () => ['POST', '/v1/verify', { body: { credential: 42 } }]],
    ['verify, credential empty', () => ['POST', '/v1/verify', { body: { credential: '' } }]],
    [
      'trust, issuer not a DID',
      () => [
        'POST',
        `/v1/organisations/${t.hospital.id}/trust`,
        { token: t.hospital.token, body: { issuer: 'bob', types: ['ClinicianLicenseCredential'] } },
      ],
    ],
    [
      'trust, no types',
      () => [
        'POST',
        `/v1/organisations/${t.hospital.id}/trust`,
        { token: t.hospital.token, body: { issuer: t.board.did, types: [] } },
      ],
    ],
    ['wrong method on a route', () => ['DELETE', '/v1/health', {}]],
  ]

  it.each(cases)('%s → 4xx with a stable code', async (_name, make) => {
    const [method, path, options] = make()
    const res = await t.request(method, path, options)
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    expect(isErrorCode(res.body.code)).toBe(true)
    expect(ERROR_STATUS[res.body.code as keyof typeof ERROR_STATUS]).toBe(res.status)
    expect(res.body.message.length).toBeGreaterThan(0)
  })
})
