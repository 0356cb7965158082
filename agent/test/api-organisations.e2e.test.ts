import { beforeAll, describe, expect, it } from 'vitest'
import { expectError } from './api'
import { TEST_DATABASE } from './database'
import { useTestAgent } from './harness'

// The HTTP API end to end (real embedded chain, real database, in-process requests): health, the
// OpenAPI document, organisations and their tokens.

const t = useTestAgent()

describe('GET /v1/health', () => {
  it('tells anyone only that it works, the chain id and registry a verifier needs, and its public URL', async () => {
    const res = await t.request('GET', '/v1/health')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      status: 'ok',
      chain: {
        chainId: 31337,
        registry: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/),
        latestBlock: expect.any(Number),
      },
      // Where its issuers, verifiers and status lists are (a wallet publishing its own list needs it).
      publicUrl: t.agent.ctx.publicUrl,
    })
    // A staff token sees no more than anyone; no other address (the chain's RPC) is shown.
    const staff = await t.request('GET', '/v1/health', { token: t.board.token })
    expect(Object.keys(staff.body).sort()).toEqual(['chain', 'publicUrl', 'status'])
    const { publicUrl: _public, ...rest } = staff.body
    expect(JSON.stringify(rest)).not.toMatch(/127\.0\.0\.1|http:/)
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
    expect(new Set(routes)).toEqual(new Set(honoRoutes.filter((r) => r.split(' ')[1]!.startsWith('/v1/'))))
    // Outside /v1 only the protocol endpoints, whose specifications (OpenID4VCI, OpenID4VP, RFC 8414, FHIR) document them.
    expect(new Set(honoRoutes.filter((r) => !r.split(' ')[1]!.startsWith('/v1/')))).toEqual(
      new Set([
        'GET /.well-known/openid-credential-issuer/issuers/{id}',
        'GET /.well-known/oauth-authorization-server/issuers/{id}',
        'GET /issuers/{id}/logo.svg',
        'GET /issuers/{id}/offers/{offerId}',
        'POST /issuers/{id}/token',
        'POST /issuers/{id}/nonce',
        'POST /issuers/{id}/credential',
        'GET /verifiers/{id}/requests/{requestId}',
        'POST /verifiers/{id}/requests/{requestId}/response',
        // FHIR R4 REST (its own specification and CapabilityStatement at /fhir/metadata).
        'GET /fhir/metadata',
        'GET /fhir/{type}',
        'GET /fhir/{type}/{id}',
      ]),
    )
  })

  it('names the body schema of each JSON endpoint and the media types of a list upload', async () => {
    const doc = (await t.request('GET', '/v1/openapi.json')).body
    const schemaOf = (p: string) =>
      doc.paths[p].post.requestBody.content['application/json'].schema.$ref.split('/').at(-1)
    expect(schemaOf('/v1/organisations/{id}/presentation-requests')).toBe('PresentationRequestRequest')
    expect(schemaOf('/v1/verify/presentation')).toBe('VerifyPresentationRequest')
    expect(schemaOf('/v1/organisations/{id}/credentials/{credentialId}/status')).toBe('StatusChangeRequest')
    const issue = doc.components.schemas.IssueCredentialRequest
    expect(issue.properties.format.enum).toEqual(['jwt_vc', 'vc+jwt', 'dc+sd-jwt'])
    expect(issue.properties.holderJwk.additionalProperties).toBe(false)
    const put = doc.paths['/v1/status-lists/dids/{did}/{name}'].put
    expect(Object.keys(put.requestBody.content).sort()).toEqual([
      'application/jwt',
      'application/statuslist+jwt',
      'application/vc+jwt',
    ])
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
