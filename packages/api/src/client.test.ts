import { describe, expect, expectTypeOf, it } from 'vitest'
import { ApiError, createApiClient, type OutputOf } from './client'

const ORG = {
  id: 'o 1',
  name: 'Board',
  kind: 'board',
  did: 'did:ethr:0x7a69:0x02aa',
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
}
const HEALTH = { status: 'ok', chain: { chainId: 31337, registry: '0xab', latestBlock: 7 } }

interface Seen {
  url: string
  method: string
  headers: Record<string, string>
  body: string | undefined
}

/** A client whose fetch answers `status` with `body` (JSON unless a string) and records the request. */
function clientAnswering(status: number, body: unknown, headers: Record<string, string> = {}) {
  const seen: Seen[] = []
  const fetch: typeof globalThis.fetch = async (url, init) => {
    seen.push({
      url: String(url),
      method: String(init?.method),
      headers: init?.headers as Record<string, string>,
      body: init?.body as string | undefined,
    })
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers })
  }
  return { api: createApiClient({ baseUrl: 'http://agent.test/prefix/', token: 't0k', fetch }), seen }
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise
  } catch (e) {
    if (e instanceof ApiError) return e
    throw e
  }
  throw new Error('expected an ApiError')
}

describe('createApiClient', () => {
  it('fills in the path (encoded), the query, the token and the JSON body', async () => {
    const { api, seen } = clientAnswering(200, { credentials: [], total: 0 })
    await api.listCredentials({ params: { id: ORG.id }, query: { reissueRequired: true, limit: 5 } })
    expect(seen[0]).toMatchObject({
      url: 'http://agent.test/prefix/v1/organisations/o%201/credentials?reissueRequired=true&limit=5',
      method: 'GET',
      headers: { accept: 'application/json', authorization: 'Bearer t0k' },
      body: undefined,
    })
    const created = clientAnswering(201, { organisation: ORG, token: 'x' })
    await created.api.createOrganisation({ body: { name: 'Board', kind: 'board' } })
    expect(created.seen[0]?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(created.seen[0]?.body ?? '')).toEqual({ name: 'Board', kind: 'board' })
  })

  it('sends header parameters and text bodies of the operation’s media type', async () => {
    const issued = clientAnswering(201, {})
    await failure(
      issued.api.issueCredential({
        params: { id: 'o' },
        headers: { 'Idempotency-Key': 'k-1' },
        body: { type: 'ClinicianLicenseCredential', subject: 'did:ethr:0x7a69:0x01', claims: {} },
      }),
    )
    expect(issued.seen[0]?.headers['idempotency-key']).toBe('k-1')
    const upload = clientAnswering(201, { url: 'u', issuedAt: 1 })
    await upload.api.uploadStatusList({ params: { did: 'did:ethr:x', name: 'grants' }, body: 'a.b.c' })
    expect(upload.seen[0]).toMatchObject({
      url: 'http://agent.test/prefix/v1/status-lists/dids/did%3Aethr%3Ax/grants',
      method: 'PUT',
      body: 'a.b.c',
    })
    expect(upload.seen[0]?.headers['content-type']).toBe('application/statuslist+jwt')
  })

  it('answers the body as received, checked against the contract', async () => {
    const { api } = clientAnswering(200, { organisations: [{ ...ORG, extra: 1 }] })
    expect(await api.listOrganisations()).toEqual({ organisations: [{ ...ORG, extra: 1 }] })
    const list = clientAnswering(200, 'eyJ.a.b', { 'content-type': 'application/statuslist+jwt' })
    expect(await list.api.getStatusList({ params: { group: 'g', name: 'token' } })).toBe('eyJ.a.b')
  })

  it('refuses a body the contract does not allow: bad_response naming the field', async () => {
    const e = await failure(clientAnswering(200, { status: 'ok' }).api.getHealth())
    expect(e.code).toBe('bad_response')
    expect(e.status).toBe(200)
    expect(e.message).toBe(
      'The agent at http://agent.test/prefix/ answered GET /v1/health with an unexpected body (chain: Invalid input: expected object, received undefined).',
    )
    expect(e.issues[0]?.path).toBe('chain')
    const html = await failure(clientAnswering(200, '<html>').api.getHealth())
    expect(html.message).toBe(
      'The agent at http://agent.test/prefix/ answered 200 with a body that is not JSON.',
    )
    const wrongStatus = await failure(clientAnswering(202, HEALTH).api.getHealth())
    expect(wrongStatus.message).toContain('HTTP 202, which the contract does not document')
  })

  it('trusts the agent when asked not to check', async () => {
    const fetch: typeof globalThis.fetch = async () => new Response('{"status":"odd"}')
    const api = createApiClient({ baseUrl: 'http://agent.test', fetch, validateResponses: false })
    expect(await api.getHealth()).toEqual({ status: 'odd' })
  })

  it('throws the error body as an ApiError: code, message, fields, status, Retry-After', async () => {
    const body = {
      code: 'invalid_claims',
      message: '2 bad claims',
      path: 'claims.npi',
      issues: [
        { path: 'claims.npi', code: 'invalid_format', message: 'not an NPI' },
        { path: 'claims.name', code: 'required', message: 'required' },
      ],
    }
    const e = await failure(clientAnswering(422, body).api.getHealth())
    expect(e).toMatchObject({
      code: 'invalid_claims',
      message: '2 bad claims',
      status: 422,
      path: 'claims.npi',
    })
    expect(e.issues).toHaveLength(2)
    expect(e.request).toEqual({
      operation: 'getHealth',
      method: 'GET',
      url: 'http://agent.test/prefix/v1/health',
    })
    const outage = await failure(
      clientAnswering(
        503,
        { code: 'chain_unavailable', message: 'down' },
        { 'retry-after': '5' },
      ).api.getHealth(),
    )
    expect(outage.retryAfterSeconds).toBe(5)
  })

  it('an error answer that is not an error body is http_error (a degraded health, a proxy)', async () => {
    const degraded = await failure(clientAnswering(503, { ...HEALTH, status: 'degraded' }).api.getHealth())
    expect(degraded).toMatchObject({ code: 'http_error', message: 'HTTP 503', status: 503 })
    expect(degraded.body).toMatchObject({ status: 'degraded' })
    const proxy = await failure(clientAnswering(502, '').api.getHealth())
    expect(proxy).toMatchObject({ code: 'http_error', message: 'HTTP 502' })
    const newer = await failure(clientAnswering(418, { code: 'teapot', message: 'I am one' }).api.getHealth())
    expect(newer).toMatchObject({ code: 'http_error', message: 'I am one' })
  })

  it('throws what mapError makes of an ApiError (the CLI names its flags)', async () => {
    const fetch: typeof globalThis.fetch = async () =>
      new Response('{"code":"not_found","message":"No such credential."}', { status: 404 })
    const api = createApiClient({
      baseUrl: 'http://a.test',
      fetch,
      mapError: (e) => new Error(`[${e.code}] ${e.message}`),
    })
    await expect(api.getCredential({ params: { id: 'o', credentialId: 'c' } })).rejects.toThrow(
      '[not_found] No such credential.',
    )
  })

  it('no answer: agent_unreachable with the reason, agent_timeout after the limit', async () => {
    const refused: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) })
    }
    const e = await failure(createApiClient({ baseUrl: 'http://127.0.0.1:1', fetch: refused }).getHealth())
    expect(e).toMatchObject({ code: 'agent_unreachable', status: 0 })
    expect(e.message).toBe('Cannot reach the agent at http://127.0.0.1:1 (ECONNREFUSED).')
    const hang: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      )
    const slow = await failure(
      createApiClient({ baseUrl: 'http://a.test', fetch: hang, timeoutMs: 20 }).getHealth(),
    )
    expect(slow).toMatchObject({
      code: 'agent_timeout',
      message: 'The agent at http://a.test did not answer within 0.02 s.',
    })
    const controller = new AbortController()
    const call = createApiClient({ baseUrl: 'http://a.test', fetch: hang }).getHealth({
      signal: controller.signal,
    })
    controller.abort(new Error('stop'))
    await expect(call).rejects.toThrow('stop')
  })

  it('types each call from the contract', () => {
    const api = createApiClient({ baseUrl: 'http://a.test' })
    expectTypeOf(api.getHealth).returns.resolves.toEqualTypeOf<OutputOf<'getHealth'>>()
    expectTypeOf<OutputOf<'issueCredential'>['format']>().toEqualTypeOf<'jwt_vc' | 'vc+jwt' | 'dc+sd-jwt'>()
    expectTypeOf<OutputOf<'getStatusList'>>().toEqualTypeOf<string>()
    expectTypeOf(api.getCredential).parameter(0).toHaveProperty('params').toEqualTypeOf<{
      id: string
      credentialId: string
    }>()
    // @ts-expect-error: the path parameters are required
    void (() => api.getCredential({}))
    // @ts-expect-error: the body is required
    void (() => api.addTrust({ params: { id: 'o' } }))
  })
})
