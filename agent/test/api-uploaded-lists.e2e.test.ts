import { signTokenStatusListJwt, TOKEN_STATUS, TokenStatusList } from '@clavis/status'
import { describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES } from '../src/http/app'
import { badRequests, type Case, expectError, type Res } from './api'
import { useTestAgent } from './harness'
import { type HolderKey, holderKey } from './holders'

// The HTTP API end to end: status lists a DID signs itself (a patient's grant list), uploaded to
// and served by the agent, newer only.

const patient = holderKey()
const stranger = holderKey()

const t = useTestAgent()

const table = (cases: Case[]) => badRequests(() => t, cases)

describe('GET|PUT /v1/status-lists/dids/{did}/{name}', () => {
  const ENTRIES = 131_072
  const started = Math.floor(Date.now() / 1000)
  const url = (did = patient.did, name = 'grants') =>
    `${t.agent.ctx.publicUrl}/v1/status-lists/dids/${did}/${name}`
  const path = (did = patient.did, name = 'grants') => `/v1/status-lists/dids/${did}/${name}`

  const signList = (o: {
    by?: HolderKey
    issuer?: string
    uri?: string
    iat: number
    revoked?: number[]
  }) => {
    const list = TokenStatusList.create({ size: ENTRIES, bits: 2 })
    for (const i of o.revoked ?? []) list.set(i, TOKEN_STATUS.INVALID)
    const by = o.by ?? patient
    return signTokenStatusListJwt({
      issuer: o.issuer ?? by.did,
      kid: by.kid,
      alg: 'ES256K',
      signer: by.signer,
      uri: o.uri ?? url(),
      list,
      iat: new Date(o.iat * 1000),
      ttlSeconds: 300,
      expiresInSeconds: 86_400,
    })
  }
  const put = (body: string, contentType?: string, p = path()): Promise<Res> =>
    t.request('PUT', p, { raw: body, ...(contentType ? { headers: { 'content-type': contentType } } : {}) })
  let held: string

  it('before any upload the list is 404', async () => {
    expectError(await t.request('GET', path()), 404, 'not_found')
  })

  it('accepts a list signed by the DID → 201 { url, issuedAt }, served as is', async () => {
    held = await signList({ iat: started - 120 })
    const res = await put(held, 'application/statuslist+jwt')
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ url: url(), issuedAt: started - 120 })
    const got = await t.agent.app.request(path())
    expect(got.status).toBe(200)
    expect(got.headers.get('content-type')).toBe('application/statuslist+jwt')
    expect(got.headers.get('cache-control')).toBe('public, max-age=30')
    expect(await got.text()).toBe(held)
  })

  it('accepts application/jwt and vc+jwt, with parameters and any case', async () => {
    const types = ['application/jwt', 'application/vc+jwt; charset=utf-8', 'APPLICATION/STATUSLIST+JWT']
    for (const [i, type] of types.entries()) {
      held = await signList({ iat: started - 100 + i, revoked: [i] })
      const res = await put(held, type)
      expect(res.status, `${type}: ${JSON.stringify(res.body)}`).toBe(201)
    }
  })

  table([
    [
      'PUT without a content type → 415',
      () => ['PUT', path(), { raw: 'a.b.c' }],
      415,
      'unsupported_media_type',
    ],
    [
      'PUT as application/json → 415',
      () => ['PUT', path(), { raw: '"a.b.c"', headers: { 'content-type': 'application/json' } }],
      415,
      'unsupported_media_type',
    ],
    [
      'PUT as text/plain → 415',
      () => ['PUT', path(), { raw: 'a.b.c', headers: { 'content-type': 'text/plain' } }],
      415,
      'unsupported_media_type',
    ],
    [
      'PUT as application/jwt-bundle (a look-alike) → 415',
      () => ['PUT', path(), { raw: 'a.b.c', headers: { 'content-type': 'application/jwt-bundle' } }],
      415,
      'unsupported_media_type',
    ],
    [
      'PUT as application/vc+jwt+json (a look-alike) → 415',
      () => ['PUT', path(), { raw: 'a.b.c', headers: { 'content-type': 'application/vc+jwt+json' } }],
      415,
      'unsupported_media_type',
    ],
    [
      'PUT as application/jwt.evil (a look-alike) → 415',
      () => ['PUT', path(), { raw: 'a.b.c', headers: { 'content-type': 'application/jwt.evil' } }],
      415,
      'unsupported_media_type',
    ],
    [
      'PUT over 64 KiB → 413',
      () => [
        'PUT',
        path(),
        { raw: 'a'.repeat(MAX_BODY_BYTES + 1), headers: { 'content-type': 'application/statuslist+jwt' } },
      ],
      413,
      'payload_too_large',
    ],
    [
      'PUT garbage → 422',
      () => ['PUT', path(), { raw: 'not a jwt', headers: { 'content-type': 'application/statuslist+jwt' } }],
      422,
      'invalid_status_list',
    ],
    [
      'PUT an empty body → 422',
      () => ['PUT', path(), { raw: '', headers: { 'content-type': 'application/statuslist+jwt' } }],
      422,
      'invalid_status_list',
    ],
    [
      'PUT three dots of base64 junk → 422',
      () => ['PUT', path(), { raw: 'e30.e30.AAAA', headers: { 'content-type': 'application/jwt' } }],
      422,
      'invalid_status_list',
    ],
    [
      'PUT for a did that is not a DID → 400',
      () => [
        'PUT',
        path('not-a-did'),
        { raw: 'a.b.c', headers: { 'content-type': 'application/statuslist+jwt' } },
      ],
      400,
      'invalid_did',
    ],
    [
      'PUT for did: with an empty method id → 400',
      () => ['PUT', path('did:ethr:'), { raw: 'a.b.c', headers: { 'content-type': 'application/jwt' } }],
      400,
      'invalid_did',
    ],
    [
      'PUT with an upper-case name → 400 name',
      () => [
        'PUT',
        path(patient.did, 'Grants'),
        { raw: 'a.b.c', headers: { 'content-type': 'application/statuslist+jwt' } },
      ],
      400,
      'invalid_request',
      'name',
    ],
    [
      'PUT with a 65-character name → 400 name',
      () => [
        'PUT',
        path(patient.did, 'a'.repeat(65)),
        { raw: 'a.b.c', headers: { 'content-type': 'application/statuslist+jwt' } },
      ],
      400,
      'invalid_request',
      'name',
    ],
    ['GET for a did that is not a DID → 400', () => ['GET', path('did-ethr-0x01'), {}], 400, 'invalid_did'],
    [
      'GET for a DID over 256 characters → 400',
      () => ['GET', path(`did:ethr:${'a'.repeat(260)}`), {}],
      400,
      'invalid_did',
    ],
    [
      'GET with a name with an underscore → 400 name',
      () => ['GET', path(patient.did, 'my_list'), {}],
      400,
      'invalid_request',
      'name',
    ],
    ['GET an unknown name → 404', () => ['GET', path(patient.did, 'other'), {}], 404, 'not_found'],
    ['GET for an unknown DID → 404', () => ['GET', path(stranger.did), {}], 404, 'not_found'],
  ])

  it('an upload over 64 KiB is 413 over HTTP too, chunked without a content-length', async () => {
    const chunk = new TextEncoder().encode('a'.repeat(16 * 1024))
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const res = await fetch(`${t.url}${path()}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/statuslist+jwt' },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expectError({ status: res.status, body: await res.json() }, 413, 'payload_too_large')
    expect(await (await t.agent.app.request(path())).text()).toBe(held)
  })

  it('refuses, and keeps what it holds: another key, another URL, an older list', async () => {
    const cases: [string, number, string][] = [
      [await signList({ by: stranger, issuer: patient.did, iat: started }), 422, 'invalid_status_list'],
      [await signList({ uri: url(patient.did, 'other'), iat: started }), 422, 'invalid_status_list'],
      // Past its ttl: not fresh, so not accepted at all.
      [await signList({ iat: started - 3600 }), 422, 'invalid_status_list'],
      // Fresh, but older than the one held.
      [await signList({ iat: started - 110 }), 409, 'stale_status_list'],
      [held, 409, 'stale_status_list'],
    ]
    for (const [jwt, status, code] of cases) {
      expectError(await put(jwt, 'application/statuslist+jwt'), status, code)
      expect(await (await t.agent.app.request(path())).text()).toBe(held)
    }
    // A list for the stranger's URL, signed by the stranger, uploaded to the patient's URL.
    const own = await signList({ by: stranger, uri: url(stranger.did), iat: started })
    expectError(await put(own, 'application/statuslist+jwt'), 422, 'invalid_status_list')
  })
})
