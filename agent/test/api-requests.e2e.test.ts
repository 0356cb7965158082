import { ERROR_STATUS, isErrorCode } from '@clavis/api'
import { describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES } from '../src/http/app'
import { expectError, licenceBody } from './api'
import { CLINICIAN_DID, inDays, type TestAgent, useTestAgent } from './harness'

// The HTTP API end to end: what any request can get wrong (body, media type, size, route), and a
// 4xx with a stable code for bad input to every endpoint.

const t = useTestAgent()

const licence = (overrides: Record<string, unknown> = {}) => licenceBody(CLINICIAN_DID, overrides)

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
