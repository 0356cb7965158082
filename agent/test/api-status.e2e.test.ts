import { beforeAll, describe, expect, it } from 'vitest'
import { currentList, type ListName } from '../src/features/status/lists'
import { badRequests, type Case, issue, json, licenceBody, sdIdentityBody, tooBig } from './api'
import { type TestAgent, useTestAgent } from './harness'
import { decodeJwt, holderKey } from './holders'

// The HTTP API end to end: revoking, suspending and reinstating credentials, and the signed status
// lists the agent publishes.

const patient = holderKey()
const clinician = holderKey()

const t = useTestAgent()

const table = (cases: Case[]) => badRequests(() => t, cases)

const identity = (overrides: Record<string, unknown> = {}) => sdIdentityBody(patient, overrides)
const licence = (overrides: Record<string, unknown> = {}) => licenceBody(clinician.did, overrides)

describe('POST /v1/organisations/{id}/credentials/{credentialId}/status', () => {
  let licenceId: string
  let identityId: string
  const path = (org: TestAgent['board'], id: string) => `/v1/organisations/${org.id}/credentials/${id}/status`

  beforeAll(async () => {
    licenceId = (await issue(t, t.board, licence())).id
    identityId = (await issue(t, t.hospital, identity())).id
  })

  it('suspends a JWT-VC: status and both list URLs', async () => {
    const res = await t.request('POST', path(t.board, licenceId), {
      token: t.board.token,
      body: { action: 'suspend' },
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      id: licenceId,
      status: 'suspended',
      lists: [
        expect.stringMatching(/\/v1\/status-lists\/[\w-]+\/revocation$/),
        expect.stringMatching(/\/v1\/status-lists\/[\w-]+\/suspension$/),
      ],
    })
    const reinstated = await t.request('POST', path(t.board, licenceId), {
      token: t.board.token,
      body: { action: 'reinstate' },
    })
    expect(reinstated.body.status).toBe('valid')
  })

  it('revokes an SD-JWT VC: one token list', async () => {
    const res = await t.request('POST', path(t.hospital, identityId), {
      token: t.hospital.token,
      body: { action: 'revoke' },
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      id: identityId,
      status: 'revoked',
      lists: [expect.stringMatching(/\/v1\/status-lists\/[\w-]+\/token$/)],
    })
  })

  table([
    [
      'no token → 401',
      () => ['POST', path(t.board, licenceId), { body: { action: 'suspend' } }],
      401,
      'unauthorized',
    ],
    [
      'a malformed Authorization header → 401',
      () => [
        'POST',
        path(t.board, licenceId),
        { body: { action: 'suspend' }, headers: { authorization: `Basic ${t.board.token}` } },
      ],
      401,
      'unauthorized',
    ],
    [
      "another organisation's token on the board's path → 403",
      () => ['POST', path(t.board, licenceId), { token: t.hospital.token, body: { action: 'revoke' } }],
      403,
      'forbidden',
    ],
    [
      "the hospital's own path with the board's credential id → 404",
      () => ['POST', path(t.hospital, licenceId), { token: t.hospital.token, body: { action: 'revoke' } }],
      404,
      'not_found',
    ],
    [
      'an unknown credential id → 404',
      () => ['POST', path(t.board, 'no-such-id'), { token: t.board.token, body: { action: 'revoke' } }],
      404,
      'not_found',
    ],
    [
      'a very long credential id → 404',
      () => ['POST', path(t.board, 'x'.repeat(2000)), { token: t.board.token, body: { action: 'revoke' } }],
      404,
      'not_found',
    ],
    [
      'an unknown action → 400 action',
      () => ['POST', path(t.board, licenceId), { token: t.board.token, body: { action: 'delete' } }],
      400,
      'invalid_request',
      'action',
    ],
    [
      'no action → 400 action',
      () => ['POST', path(t.board, licenceId), { token: t.board.token, body: {} }],
      400,
      'invalid_request',
      'action',
    ],
    [
      'an extra field → 400 naming it',
      () => [
        'POST',
        path(t.board, licenceId),
        { token: t.board.token, body: { action: 'suspend', reason: 'x' } },
      ],
      400,
      'invalid_request',
      'reason',
    ],
    [
      'a JSON array → 400',
      () => ['POST', path(t.board, licenceId), { token: t.board.token, body: ['revoke'] }],
      400,
      'invalid_request',
      '(root)',
    ],
    [
      'malformed JSON → 400',
      () => ['POST', path(t.board, licenceId), json('{"action":"revoke"', t.board.token)],
      400,
      'malformed_json',
    ],
    [
      'no content type → 415',
      () => ['POST', path(t.board, licenceId), { token: t.board.token, raw: '{"action":"revoke"}' }],
      415,
      'unsupported_media_type',
    ],
    [
      'over 64 KiB → 413',
      () => ['POST', path(t.board, licenceId), json(tooBig(), t.board.token)],
      413,
      'payload_too_large',
    ],
    [
      'reinstating a revoked credential → 409',
      () => [
        'POST',
        path(t.hospital, identityId),
        { token: t.hospital.token, body: { action: 'reinstate' } },
      ],
      409,
      'conflict',
    ],
    [
      'reinstating a valid credential → 409',
      () => ['POST', path(t.board, licenceId), { token: t.board.token, body: { action: 'reinstate' } }],
      409,
      'conflict',
    ],
  ])

  it('a refused change leaves the credential as it was', async () => {
    await t.request('POST', path(t.board, licenceId), { token: t.hospital.token, body: { action: 'revoke' } })
    const res = await t.request('GET', `/v1/organisations/${t.board.id}/credentials/${licenceId}`, {
      token: t.board.token,
    })
    expect(res.body.status).toBe('valid')
  })
})

describe('GET /v1/status-lists/{group}/{name}', () => {
  let bitstringGroup: string
  let tokenGroup: string

  beforeAll(async () => {
    const jwt = (await issue(t, t.board, licence())).jwt
    bitstringGroup = decodeJwt(jwt).payload.vc.credentialStatus[0].statusListCredential.split('/').at(-2)
    const sd = (await issue(t, t.hospital, identity())).jwt
    tokenGroup = decodeJwt(sd.split('~')[0]!).payload.status.status_list.uri.split('/').at(-2)
  })

  it('serves a bitstring list for VC 1.1 credentials as a VC 1.1 JWT, publicly, cacheable', async () => {
    for (const name of ['revocation', 'suspension']) {
      const res = await t.agent.app.request(`/v1/status-lists/${bitstringGroup}/${name}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/jwt')
      expect(res.headers.get('cache-control')).toBe('public, max-age=30')
      const { header, payload } = decodeJwt(await res.text())
      expect(header.alg).toMatch(/^ES256K?$/)
      expect(header.typ).toBe('JWT')
      expect(payload.iss).toBe(t.board.did)
      expect(payload.jti).toBe(`${t.agent.ctx.publicUrl}/v1/status-lists/${bitstringGroup}/${name}`)
      expect(payload.vc['@context']).toEqual([
        'https://www.w3.org/2018/credentials/v1',
        'https://www.w3.org/ns/credentials/status/v1',
      ])
      expect(payload.vc.credentialSubject.statusPurpose).toBe(name)
    }
  })

  it('serves the same bits for VC 2.0 credentials as a VC-JOSE-COSE vc+jwt', async () => {
    for (const purpose of ['revocation', 'suspension']) {
      const res = await t.agent.app.request(`/v1/status-lists/${bitstringGroup}/${purpose}-vc2`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/vc+jwt')
      expect(res.headers.get('cache-control')).toBe('public, max-age=30')
      const { header, payload } = decodeJwt(await res.text())
      expect(header.typ).toBe('vc+jwt')
      expect(payload).toMatchObject({
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: `${t.agent.ctx.publicUrl}/v1/status-lists/${bitstringGroup}/${purpose}-vc2`,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: t.board.did,
        credentialSubject: { type: 'BitstringStatusList', statusPurpose: purpose, ttl: 30_000 },
      })
      expect(payload).not.toHaveProperty('vc')
    }
  })

  it('serves a token list as statuslist+jwt naming its own URL', async () => {
    const res = await t.agent.app.request(`/v1/status-lists/${tokenGroup}/token`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/statuslist+jwt')
    const { header, payload } = decodeJwt(await res.text())
    expect(header.typ).toBe('statuslist+jwt')
    expect(payload.sub).toBe(`${t.agent.ctx.publicUrl}/v1/status-lists/${tokenGroup}/token`)
    expect(payload.iss).toBe(t.hospital.did)
  })

  it('in process too (the list fetcher), a group serves only its own list names', async () => {
    for (const name of ['grants', 'constructor', '__proto__', 'token'])
      await expect(
        currentList(t.agent.ctx, { groupId: bitstringGroup, name: name as ListName }),
      ).rejects.toMatchObject({ code: 'not_found' })
    await expect(currentList(t.agent.ctx, { groupId: tokenGroup, name: 'revocation' })).rejects.toMatchObject(
      {
        code: 'not_found',
      },
    )
  })

  table([
    [
      'a group that does not exist → 404',
      () => ['GET', '/v1/status-lists/nope/revocation', {}],
      404,
      'not_found',
    ],
    [
      'a list name outside revocation|suspension|revocation-vc2|suspension-vc2|token → 404',
      () => ['GET', `/v1/status-lists/${bitstringGroup}/grants`, {}],
      404,
      'not_found',
    ],
    [
      'an upper-case list name → 404',
      () => ['GET', `/v1/status-lists/${bitstringGroup}/Revocation`, {}],
      404,
      'not_found',
    ],
    [
      'a prototype key as the name → 404',
      () => ['GET', `/v1/status-lists/${bitstringGroup}/constructor`, {}],
      404,
      'not_found',
    ],
    [
      'token on a bitstring group → 404',
      () => ['GET', `/v1/status-lists/${bitstringGroup}/token`, {}],
      404,
      'not_found',
    ],
    [
      'revocation on a token group → 404',
      () => ['GET', `/v1/status-lists/${tokenGroup}/revocation`, {}],
      404,
      'not_found',
    ],
    [
      'revocation-vc2 on a token group → 404',
      () => ['GET', `/v1/status-lists/${tokenGroup}/revocation-vc2`, {}],
      404,
      'not_found',
    ],
    [
      'a very long group id → 404',
      () => ['GET', `/v1/status-lists/${'g'.repeat(3000)}/revocation`, {}],
      404,
      'not_found',
    ],
    [
      'a percent sign that is not an escape → 404',
      () => ['GET', '/v1/status-lists/%zz/revocation', {}],
      404,
      'not_found',
    ],
    [
      'POST is not a route → 404',
      () => ['POST', `/v1/status-lists/${bitstringGroup}/revocation`, { body: {} }],
      404,
      'not_found',
    ],
  ])
})
