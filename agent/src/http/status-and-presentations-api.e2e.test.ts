import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ERROR_STATUS } from '@clavis/api'
import { base64urlEncode, generatePrivateKey, publicKeyOf, publicKeyToJwk } from '@clavis/crypto'
import { presentSdJwtVc } from '@clavis/sd-jwt'
import { signTokenStatusListJwt, TOKEN_STATUS, TokenStatusList } from '@clavis/status'
import { presentJwtVp } from '@clavis/verify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureOutput } from '../../test/capture-output'
import { inDays, licenceClaims, patientClaims, startTestAgent, type TestAgent } from '../../test/harness'
import { decodeJwt, type HolderKey, holderKey } from '../../test/holders'
import { COMMANDS as STAFF_COMMANDS } from '../cli/commands'
import { HOLDER_COMMANDS } from '../cli/holder-commands'
import { runCli } from '../cli/main'
import { currentList, type ListName } from '../status/lists'
import { MAX_BODY_BYTES } from './app'

// The newest endpoints (SD-JWT issuance, status changes, status lists, presentations) and their CLI
// commands: each happy path's shape, then tables of bad input that must be a 4xx with a stable code.

let t: TestAgent
let dir: string
const patient = holderKey()
const clinician = holderKey()
const stranger = holderKey()

beforeAll(async () => {
  t = await startTestAgent()
  dir = mkdtempSync(join(tmpdir(), 'clavis-status-api-'))
})
afterAll(async () => {
  await t?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

type Res = Awaited<ReturnType<TestAgent['request']>>
type Req = Parameters<TestAgent['request']>[2]

/** Asserts an error answer: status, stable code, a message and (optionally) the bad field. */
function expectError(res: Res, status: number, code: string, path?: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code })
  expect(ERROR_STATUS[code as keyof typeof ERROR_STATUS]).toBe(status)
  expect(typeof res.body.message).toBe('string')
  expect(res.body.message.length).toBeGreaterThan(0)
  if (path !== undefined) expect(res.body.path).toBe(path)
}

/** One row of a bad-input table: name, request, expected status, code and field path. */
type Case = [name: string, req: () => [string, string, Req], status: number, code: string, path?: string]

function table(cases: Case[]): void {
  it.each(cases)('%s', async (_name, req, status, code, path) => {
    const [method, url, options] = req()
    expectError(await t.request(method, url, options), status, code, path)
  })
}

const json = (raw: string, token?: string): Req => ({
  raw,
  headers: { 'content-type': 'application/json' },
  ...(token ? { token } : {}),
})
const tooBig = () => JSON.stringify({ pad: 'a'.repeat(MAX_BODY_BYTES + 1) })

/** A P-256 public JWK. */
function p256Jwk() {
  return publicKeyToJwk({ alg: 'ES256', publicKey: publicKeyOf('ES256', generatePrivateKey('ES256')) })
}

const identity = (overrides: Record<string, unknown> = {}) => ({
  type: 'PatientIdentityCredential',
  format: 'dc+sd-jwt',
  subject: patient.did,
  holderJwk: patient.jwk,
  claims: patientClaims(),
  validUntil: inDays(365),
  ...overrides,
})
const licence = (overrides: Record<string, unknown> = {}) => ({
  type: 'ClinicianLicenseCredential',
  subject: clinician.did,
  claims: licenceClaims(),
  validUntil: inDays(365),
  ...overrides,
})

async function issue(org: TestAgent['board'], body: Record<string, unknown>) {
  const res = await t.request('POST', `/v1/organisations/${org.id}/credentials`, { token: org.token, body })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as { id: string; jwt: string; format: string }
}

async function nonceFor(org: TestAgent['board']) {
  const res = await t.request('POST', `/v1/organisations/${org.id}/presentation-requests`, {
    token: org.token,
    body: {},
  })
  expect(res.status).toBe(201)
  return res.body as { nonce: string; audience: string; expiresAt: string; requestSecret: string }
}

describe('POST /v1/organisations/{id}/credentials with format dc+sd-jwt', () => {
  const path = () => `/v1/organisations/${t.hospital.id}/credentials`

  it('issues an SD-JWT VC bound to the holder key (201 and its shape)', async () => {
    const res = await t.request('POST', path(), { token: t.hospital.token, body: identity() })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      type: 'PatientIdentityCredential',
      issuer: t.hospital.did,
      subject: patient.did,
      format: 'dc+sd-jwt',
      status: 'valid',
      reissueRequired: false,
    })
    expect(res.body.id).toEqual(expect.any(String))
    expect(res.body.jwt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+~/)
    const { header, payload } = decodeJwt(res.body.jwt.split('~')[0])
    expect(header.typ).toBe('dc+sd-jwt')
    expect(payload.iss).toBe(t.hospital.did)
    expect(payload.cnf.jwk).toEqual({ kty: 'EC', crv: 'secp256k1', x: patient.jwk.x, y: patient.jwk.y })
    expect(payload.status.status_list.uri).toMatch(/\/v1\/status-lists\/[\w-]+\/token$/)
    // Claims are disclosures, not in the clear.
    expect(JSON.stringify(payload)).not.toContain('MRN-0042')
  })

  it('accepts a P-256 holder key and a kid', async () => {
    const jwk = { ...p256Jwk(), kid: 'wallet-1' }
    const res = await t.request('POST', path(), {
      token: t.hospital.token,
      body: identity({ holderJwk: jwk }),
    })
    expect(res.status).toBe(201)
    expect(decodeJwt(res.body.jwt.split('~')[0]).payload.cnf.jwk.crv).toBe('P-256')
  })

  it('a board issues an SD-JWT licence too', async () => {
    const body = licence({ format: 'dc+sd-jwt', holderJwk: clinician.jwk })
    expect((await issue(t.board, body)).format).toBe('dc+sd-jwt')
  })

  const onCurveButWrong = () => {
    // 43 base64url characters that decode to 32 bytes, but (x, y) is not a point of the curve.
    const x = base64urlEncode(new Uint8Array(32).fill(1))
    return { ...patient.jwk, x }
  }

  table([
    ['no token → 401', () => ['POST', path(), { body: identity() }], 401, 'unauthorized'],
    ['unknown token → 401', () => ['POST', path(), { token: 'nope', body: identity() }], 401, 'unauthorized'],
    [
      "another organisation's token → 403",
      () => ['POST', path(), { token: t.board.token, body: identity() }],
      403,
      'forbidden',
    ],
    [
      'the operator token → 403',
      () => ['POST', path(), { token: t.admin, body: identity() }],
      403,
      'forbidden',
    ],
    [
      'an unknown organisation → 403 (the token is not of it)',
      () => ['POST', '/v1/organisations/nope/credentials', { token: t.hospital.token, body: identity() }],
      403,
      'forbidden',
    ],
    [
      'malformed JSON → 400',
      () => ['POST', path(), json('{"type":', t.hospital.token)],
      400,
      'malformed_json',
    ],
    [
      'text/plain → 415',
      () => [
        'POST',
        path(),
        {
          token: t.hospital.token,
          raw: JSON.stringify(identity()),
          headers: { 'content-type': 'text/plain' },
        },
      ],
      415,
      'unsupported_media_type',
    ],
    ['over 64 KiB → 413', () => ['POST', path(), json(tooBig(), t.hospital.token)], 413, 'payload_too_large'],
    [
      'dc+sd-jwt without holderJwk → 400 holderJwk',
      () => ['POST', path(), { token: t.hospital.token, body: identity({ holderJwk: undefined }) }],
      400,
      'invalid_request',
      'holderJwk',
    ],
    [
      'a private key (d) as holderJwk → 400 holderJwk.d',
      () => [
        'POST',
        path(),
        {
          token: t.hospital.token,
          body: identity({ holderJwk: { ...patient.jwk, d: base64urlEncode(new Uint8Array(32).fill(7)) } }),
        },
      ],
      400,
      'invalid_request',
      'holderJwk.d',
    ],
    [
      'a P-384 holder key → 400 holderJwk.crv',
      () => [
        'POST',
        path(),
        { token: t.hospital.token, body: identity({ holderJwk: { ...patient.jwk, crv: 'P-384' } }) },
      ],
      400,
      'invalid_request',
      'holderJwk.crv',
    ],
    [
      'x that is not base64url → 400 holderJwk.x',
      () => [
        'POST',
        path(),
        {
          token: t.hospital.token,
          body: identity({ holderJwk: { ...patient.jwk, x: `${'!'.repeat(42)}=` } }),
        },
      ],
      400,
      'invalid_request',
      'holderJwk.x',
    ],
    [
      'y too short → 400 holderJwk.y',
      () => [
        'POST',
        path(),
        { token: t.hospital.token, body: identity({ holderJwk: { ...patient.jwk, y: 'AAAA' } }) },
      ],
      400,
      'invalid_request',
      'holderJwk.y',
    ],
    [
      'a point not on the curve → 400 holderJwk',
      () => ['POST', path(), { token: t.hospital.token, body: identity({ holderJwk: onCurveButWrong() }) }],
      400,
      'invalid_request',
      'holderJwk',
    ],
    [
      'a secp256k1 point labelled P-256 → 400 holderJwk',
      () => [
        'POST',
        path(),
        { token: t.hospital.token, body: identity({ holderJwk: { ...patient.jwk, crv: 'P-256' } }) },
      ],
      400,
      'invalid_request',
      'holderJwk',
    ],
    [
      'an RSA key → 400 holderJwk.kty',
      () => [
        'POST',
        path(),
        {
          token: t.hospital.token,
          body: identity({ holderJwk: { kty: 'RSA', n: 'AQAB'.repeat(64), e: 'AQAB' } }),
        },
      ],
      400,
      'invalid_request',
      'holderJwk.kty',
    ],
    [
      'an oct (symmetric) key → 400 holderJwk.kty',
      () => [
        'POST',
        path(),
        { token: t.hospital.token, body: identity({ holderJwk: { kty: 'oct', k: 'c2VjcmV0' } }) },
      ],
      400,
      'invalid_request',
      'holderJwk.kty',
    ],
    [
      'a string as holderJwk → 400 holderJwk',
      () => ['POST', path(), { token: t.hospital.token, body: identity({ holderJwk: 'jwk' }) }],
      400,
      'invalid_request',
      'holderJwk',
    ],
    [
      'a kid over 256 characters → 400 holderJwk.kid',
      () => [
        'POST',
        path(),
        { token: t.hospital.token, body: identity({ holderJwk: { ...patient.jwk, kid: 'k'.repeat(257) } }) },
      ],
      400,
      'invalid_request',
      'holderJwk.kid',
    ],
    [
      'holderJwk with format jwt_vc → 400 holderJwk (it would not bind anything)',
      () => ['POST', path(), { token: t.hospital.token, body: identity({ format: 'jwt_vc' }) }],
      400,
      'invalid_request',
      'holderJwk',
    ],
    [
      'holderJwk without a format (jwt_vc) → 400 holderJwk',
      () => ['POST', path(), { token: t.hospital.token, body: identity({ format: undefined }) }],
      400,
      'invalid_request',
      'holderJwk',
    ],
    [
      'an unknown format → 400 format',
      () => ['POST', path(), { token: t.hospital.token, body: identity({ format: 'sd-jwt' }) }],
      400,
      'invalid_request',
      'format',
    ],
    [
      'bad claims in an SD-JWT → 422 claims.birthDate',
      () => [
        'POST',
        path(),
        {
          token: t.hospital.token,
          body: identity({ claims: { ...patientClaims(), birthDate: 'yesterday' } }),
        },
      ],
      422,
      'invalid_claims',
      'claims.birthDate',
    ],
  ])

  it('nothing is stored by a refused request', async () => {
    const before = (await t.request('GET', `${path()}?limit=1`, { token: t.hospital.token })).body.total
    await t.request('POST', path(), { token: t.hospital.token, body: identity({ format: 'jwt_vc' }) })
    await t.request('POST', path(), {
      token: t.hospital.token,
      body: identity({ holderJwk: { ...patient.jwk, crv: 'P-256' } }),
    })
    const after = (await t.request('GET', `${path()}?limit=1`, { token: t.hospital.token })).body.total
    expect(after).toBe(before)
  })
})

describe('POST /v1/organisations/{id}/credentials/{credentialId}/status', () => {
  let licenceId: string
  let identityId: string
  const path = (org: TestAgent['board'], id: string) => `/v1/organisations/${org.id}/credentials/${id}/status`

  beforeAll(async () => {
    licenceId = (await issue(t.board, licence())).id
    identityId = (await issue(t.hospital, identity())).id
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
    const jwt = (await issue(t.board, licence())).jwt
    bitstringGroup = decodeJwt(jwt).payload.vc.credentialStatus[0].statusListCredential.split('/').at(-2)
    const sd = (await issue(t.hospital, identity())).jwt
    tokenGroup = decodeJwt(sd.split('~')[0]!).payload.status.status_list.uri.split('/').at(-2)
  })

  it('serves a bitstring list as a signed vc+jwt, publicly, cacheable', async () => {
    for (const name of ['revocation', 'suspension']) {
      const res = await t.agent.app.request(`/v1/status-lists/${bitstringGroup}/${name}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/vc+jwt')
      expect(res.headers.get('cache-control')).toBe('public, max-age=30')
      const { header, payload } = decodeJwt(await res.text())
      expect(header.alg).toMatch(/^ES256K?$/)
      expect(payload.iss).toBe(t.board.did)
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
    for (const name of ['grants', 'constructor', 'token'])
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
      'a list name outside revocation|suspension|token → 404',
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

describe('POST /v1/organisations/{id}/presentation-requests', () => {
  const path = (org: TestAgent['board'] = t.hospital) => `/v1/organisations/${org.id}/presentation-requests`

  it('answers a fresh nonce, the organisation DID as audience and the expiry (201)', async () => {
    const before = Date.now()
    const res = await t.request('POST', path(), { token: t.hospital.token, body: { ttlSeconds: 60 } })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body).sort()).toEqual(['audience', 'expiresAt', 'nonce', 'requestSecret'])
    expect(res.body.requestSecret).toMatch(/^[\w-]{32}$/)
    expect(res.body.nonce).toMatch(/^[\w-]{32}$/)
    expect(res.body.audience).toBe(t.hospital.did)
    const expires = Date.parse(res.body.expiresAt)
    expect(expires).toBeGreaterThanOrEqual(before + 59_000)
    expect(expires).toBeLessThanOrEqual(Date.now() + 61_000)
    const other = await nonceFor(t.hospital)
    expect(other.nonce).not.toBe(res.body.nonce)
    expect(Date.parse(other.expiresAt) - Date.now()).toBeGreaterThan(290_000)
  })

  it('accepts the range bounds 30 and 600', async () => {
    for (const ttlSeconds of [30, 600]) {
      const res = await t.request('POST', path(), { token: t.hospital.token, body: { ttlSeconds } })
      expect(res.status).toBe(201)
    }
  })

  const ttl =
    (ttlSeconds: unknown): (() => [string, string, Req]) =>
    () => ['POST', path(), { token: t.hospital.token, body: { ttlSeconds } }]
  table([
    ['no token → 401', () => ['POST', path(), { body: {} }], 401, 'unauthorized'],
    ['unknown token → 401', () => ['POST', path(), { token: 'x'.repeat(40), body: {} }], 401, 'unauthorized'],
    [
      'a token over 200 characters → 401',
      () => ['POST', path(), { token: 'x'.repeat(5000), body: {} }],
      401,
      'unauthorized',
    ],
    [
      "another organisation's token → 403",
      () => ['POST', path(), { token: t.board.token, body: {} }],
      403,
      'forbidden',
    ],
    [
      'an unknown organisation → 403',
      () => ['POST', '/v1/organisations/nope/presentation-requests', { token: t.hospital.token, body: {} }],
      403,
      'forbidden',
    ],
    ['ttlSeconds 29 → 400', ttl(29), 400, 'invalid_request', 'ttlSeconds'],
    ['ttlSeconds 601 → 400', ttl(601), 400, 'invalid_request', 'ttlSeconds'],
    ['ttlSeconds 0 → 400', ttl(0), 400, 'invalid_request', 'ttlSeconds'],
    ['ttlSeconds -60 → 400', ttl(-60), 400, 'invalid_request', 'ttlSeconds'],
    ['ttlSeconds 60.5 → 400', ttl(60.5), 400, 'invalid_request', 'ttlSeconds'],
    ['ttlSeconds "60" → 400', ttl('60'), 400, 'invalid_request', 'ttlSeconds'],
    ['ttlSeconds null → 400', ttl(null), 400, 'invalid_request', 'ttlSeconds'],
    ['ttlSeconds 1e308 → 400', ttl(1e308), 400, 'invalid_request', 'ttlSeconds'],
    [
      'an unknown field → 400 naming it',
      () => ['POST', path(), { token: t.hospital.token, body: { audience: 'did:ethr:0x1' } }],
      400,
      'invalid_request',
      'audience',
    ],
    ['malformed JSON → 400', () => ['POST', path(), json('{', t.hospital.token)], 400, 'malformed_json'],
    [
      'no body at all → 415',
      () => ['POST', path(), { token: t.hospital.token }],
      415,
      'unsupported_media_type',
    ],
    ['over 64 KiB → 413', () => ['POST', path(), json(tooBig(), t.hospital.token)], 413, 'payload_too_large'],
  ])
})

describe('POST /v1/verify/presentation', () => {
  const verify = (body: unknown) => t.request('POST', '/v1/verify/presentation', { body })

  it('a JWT VP of a licence, for the hospital with its nonce: valid, with every check', async () => {
    const { jwt } = await issue(t.board, licence())
    const { nonce, audience, requestSecret } = await nonceFor(t.hospital)
    const vp = await presentJwtVp({
      credentials: [jwt],
      holder: clinician.did,
      kid: clinician.kid,
      signer: clinician.signer,
      nonce,
      audience,
    })
    const res = await verify({ presentation: vp, verifier: t.hospital.id, nonce, requestSecret })
    expect(res.status).toBe(200)
    expect(res.body.valid).toBe(true)
    for (const check of Object.values(res.body.checks)) expect(check).toEqual({ passed: true })
    expect(res.body.credentials).toHaveLength(1)
    expect(res.body.credentials[0]).toMatchObject({ valid: true, issuer: t.board.did })
  })

  it('an SD-JWT VC presentation: valid, with only what was disclosed', async () => {
    const { jwt } = await issue(t.hospital, identity())
    const { nonce, audience, requestSecret } = await nonceFor(t.hospital)
    const presentation = await presentSdJwtVc({
      credential: jwt,
      disclose: ['birthDate'],
      keyBinding: { alg: 'ES256K', signer: patient.signer, nonce, audience },
    })
    const res = await verify({ presentation, verifier: t.hospital.id, nonce, requestSecret })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ valid: true, format: 'dc+sd-jwt' })
    expect(res.body.disclosed).toMatchObject({ birthDate: patientClaims().birthDate })
    expect(res.body.disclosed.name).toBeUndefined()
    expect(res.body.disclosed.identifier).toBeUndefined()
  })

  it("another organisation's nonce and secret → 403 invalid_request_secret, and that nonce stays unused", async () => {
    const { jwt } = await issue(t.board, licence())
    const { nonce, requestSecret } = await nonceFor(t.board)
    const vp = await presentJwtVp({
      credentials: [jwt],
      holder: clinician.did,
      kid: clinician.kid,
      signer: clinician.signer,
      nonce,
      audience: t.hospital.did,
    })
    const res = await verify({ presentation: vp, verifier: t.hospital.id, nonce, requestSecret })
    expect(res.status).toBe(403)
    expect(res.body.code).toBe('invalid_request_secret')
  })

  it('a learned nonce cannot be used up without its secret: 403, and the holder’s presentation still verifies', async () => {
    const { jwt } = await issue(t.board, licence())
    const asked = await nonceFor(t.hospital)
    const vp = await presentJwtVp({
      credentials: [jwt],
      holder: clinician.did,
      kid: clinician.kid,
      signer: clinician.signer,
      nonce: asked.nonce,
      audience: asked.audience,
    })
    for (const requestSecret of ['s'.repeat(32), (await nonceFor(t.hospital)).requestSecret]) {
      const stolen = await verify({
        presentation: vp,
        verifier: t.hospital.id,
        nonce: asked.nonce,
        requestSecret,
      })
      expect(stolen.status).toBe(403)
      expect(stolen.body.code).toBe('invalid_request_secret')
    }
    const res = await verify({
      presentation: vp,
      verifier: t.hospital.id,
      nonce: asked.nonce,
      requestSecret: asked.requestSecret,
    })
    expect(res.body.valid).toBe(true)
  })

  it.each([
    ['garbage', 'hello world'],
    ['three dots', 'a.b.c'],
    ['JSON header, no signature', 'e30.e30.'],
    ['an SD-JWT look-alike', 'a.b.c~x~y~'],
    ['tildes only', '~~~~'],
    ['many tildes', `x${'~'.repeat(50_000)}`],
    ['a disclosure of invalid JSON', `e30.e30.AA~${base64urlEncode(new TextEncoder().encode('[1,'))}~`],
  ])('%s is not valid (200, valid false), not an error', async (_name, presentation) => {
    const { nonce, requestSecret } = await nonceFor(t.hospital)
    const res = await verify({ presentation, verifier: t.hospital.id, nonce, requestSecret })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.valid).toBe(false)
  })

  const body = (o: Record<string, unknown>) => ({
    presentation: 'a.b.c',
    verifier: t.hospital.id,
    nonce: 'n'.repeat(32),
    requestSecret: 's'.repeat(32),
    ...o,
  })
  table([
    [
      'an unknown verifier → 404',
      () => ['POST', '/v1/verify/presentation', { body: body({ verifier: 'no-such-org' }) }],
      404,
      'not_found',
    ],
    [
      'a nonce of 15 characters → 400 nonce',
      () => ['POST', '/v1/verify/presentation', { body: body({ nonce: 'n'.repeat(15) }) }],
      400,
      'invalid_request',
      'nonce',
    ],
    [
      'a nonce of 129 characters → 400 nonce',
      () => ['POST', '/v1/verify/presentation', { body: body({ nonce: 'n'.repeat(129) }) }],
      400,
      'invalid_request',
      'nonce',
    ],
    [
      'no nonce → 400 nonce',
      () => ['POST', '/v1/verify/presentation', { body: body({ nonce: undefined }) }],
      400,
      'invalid_request',
      'nonce',
    ],
    [
      'a number as nonce → 400 nonce',
      () => ['POST', '/v1/verify/presentation', { body: body({ nonce: 1234567890123456 }) }],
      400,
      'invalid_request',
      'nonce',
    ],
    [
      'no verifier → 400 verifier',
      () => ['POST', '/v1/verify/presentation', { body: body({ verifier: undefined }) }],
      400,
      'invalid_request',
      'verifier',
    ],
    [
      'a verifier of 65 characters → 400 verifier',
      () => ['POST', '/v1/verify/presentation', { body: body({ verifier: 'v'.repeat(65) }) }],
      400,
      'invalid_request',
      'verifier',
    ],
    [
      'an empty presentation → 400 presentation',
      () => ['POST', '/v1/verify/presentation', { body: body({ presentation: '' }) }],
      400,
      'invalid_request',
      'presentation',
    ],
    [
      'an object as presentation → 400 presentation',
      () => ['POST', '/v1/verify/presentation', { body: body({ presentation: { vp: {} } }) }],
      400,
      'invalid_request',
      'presentation',
    ],
    [
      'an unknown field → 400 naming it',
      () => ['POST', '/v1/verify/presentation', { body: body({ audience: 'x' }) }],
      400,
      'invalid_request',
      'audience',
    ],
    [
      'malformed JSON → 400',
      () => ['POST', '/v1/verify/presentation', json('{"presentation":')],
      400,
      'malformed_json',
    ],
    [
      'text/plain → 415',
      () => [
        'POST',
        '/v1/verify/presentation',
        { raw: JSON.stringify(body({})), headers: { 'content-type': 'text/plain' } },
      ],
      415,
      'unsupported_media_type',
    ],
    [
      'over 64 KiB → 413',
      () => [
        'POST',
        '/v1/verify/presentation',
        json(JSON.stringify(body({ presentation: 'a'.repeat(MAX_BODY_BYTES + 1) }))),
      ],
      413,
      'payload_too_large',
    ],
  ])
})

describe('openapi', () => {
  it('documents every route, with the body schema of each JSON endpoint tested here', async () => {
    const doc = (await t.request('GET', '/v1/openapi.json')).body
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([p, ops]) =>
        Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${p}`),
      ),
    )
    const served = new Set(
      t.agent.app.routes
        .filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    )
    expect(documented).toEqual(served)
    const schemaOf = (p: string) =>
      doc.paths[p].post.requestBody.content['application/json'].schema.$ref.split('/').at(-1)
    expect(schemaOf('/v1/organisations/{id}/presentation-requests')).toBe('PresentationRequestRequest')
    expect(schemaOf('/v1/verify/presentation')).toBe('VerifyPresentationRequest')
    expect(schemaOf('/v1/organisations/{id}/credentials/{credentialId}/status')).toBe('StatusChangeRequest')
    const issue = doc.components.schemas.IssueCredentialRequest
    expect(issue.properties.format.enum).toEqual(['jwt_vc', 'dc+sd-jwt'])
    expect(issue.properties.holderJwk.additionalProperties).toBe(false)
    const put = doc.paths['/v1/status-lists/dids/{did}/{name}'].put
    expect(Object.keys(put.requestBody.content).sort()).toEqual([
      'application/jwt',
      'application/statuslist+jwt',
      'application/vc+jwt',
    ])
  })
})

describe('CLI: keygen, present, request-presentation, verify-presentation, status, issue --format sd-jwt', () => {
  const io = captureOutput()
  const cli = (argv: string[], token = t.hospital.token) =>
    runCli(argv, { CLAVIS_AGENT_URL: t.url, CLAVIS_TOKEN: token })
  const file = (name: string, content?: string) => {
    const p = join(dir, name)
    if (content !== undefined) writeFileSync(p, content)
    return p
  }
  /** The `--json` error of the last command. */
  const jsonError = () =>
    JSON.parse(io.out.trim().split('\n').at(-1)!).error as { code: string; message: string }

  it('--help lists every command', async () => {
    expect(await cli(['--help'])).toBe(0)
    for (const words of Object.keys({ ...STAFF_COMMANDS, ...HOLDER_COMMANDS }))
      expect(io.out).toContain(`  clavis ${words}`)
    for (const words of ['keygen', 'present', 'request-presentation', 'verify-presentation', 'status'])
      expect(io.out).toMatch(new RegExp(`^  clavis ${words} `, 'm'))
    expect(io.out).toContain('--format jwt|sd-jwt --holder-jwk FILE')
  })

  it('the whole flow with --json: keygen → issue sd-jwt → request → present → verify → status', async () => {
    expect(await cli(['keygen', '--out', file('flow.jwk'), '--json'])).toBe(0)
    const key = JSON.parse(io.out)
    expect(key.did).toMatch(/^did:ethr:0x7a69:0x0[23][0-9a-f]{64}$/)
    expect(key.jwk).toEqual({ kty: 'EC', crv: 'secp256k1', x: expect.any(String), y: expect.any(String) })
    file('claims.json', JSON.stringify(patientClaims()))
    io.out = ''
    const issueArgs = ['issue', 'identity', '--subject', key.did, '--claims', file('claims.json')]
    const sd = ['--format', 'sd-jwt', '--holder-jwk', file('flow.jwk'), '--valid-until', inDays(30)]
    expect(await cli([...issueArgs, ...sd, '--json'])).toBe(0)
    const issued = JSON.parse(io.out)
    expect(issued).toMatchObject({ format: 'dc+sd-jwt', status: 'valid', subject: key.did })
    file('flow.cred', issued.jwt)
    io.out = ''
    expect(await cli(['request-presentation', '--ttl', '120', '--json'])).toBe(0)
    const request = JSON.parse(io.out)
    expect(request).toEqual({
      nonce: expect.any(String),
      audience: t.hospital.did,
      expiresAt: expect.any(String),
      requestSecret: expect.any(String),
    })
    io.out = ''
    const present = ['present', '--credential', file('flow.cred'), '--key', file('flow.jwk')]
    const args = ['--nonce', request.nonce, '--audience', request.audience, '--disclose', 'name']
    expect(await cli([...present, ...args, '--json'])).toBe(0)
    file('flow.vp', JSON.parse(io.out).presentation)
    io.out = ''
    const verify = [
      'verify-presentation',
      file('flow.vp'),
      '--verifier',
      t.hospital.id,
      '--nonce',
      request.nonce,
      '--request-secret',
      request.requestSecret,
    ]
    expect(await cli([...verify, '--json'])).toBe(0)
    expect(JSON.parse(io.out)).toMatchObject({ valid: true, disclosed: { name: patientClaims().name } })
    io.out = ''
    expect(await cli(['status', 'suspend', issued.id, '--json'])).toBe(0)
    expect(JSON.parse(io.out)).toMatchObject({ id: issued.id, status: 'suspended' })
  })

  it('keygen: bad usage is exit 2', async () => {
    expect(await cli(['keygen'])).toBe(2)
    expect(io.err).toMatch(/--out/)
    expect(await cli(['keygen', '--out', file('k.jwk'), '--alg', 'EdDSA'])).toBe(2)
    expect(await cli(['keygen', '--out', join(dir, 'no-such-dir', 'k.jwk')])).toBe(2)
    expect(io.err).toMatch(/Cannot write/)
  })

  it('ES256 keygen has no did:ethr; a JWT VP with it is refused with exit 2', async () => {
    expect(await cli(['keygen', '--out', file('p256.jwk'), '--alg', 'ES256', '--json'])).toBe(0)
    expect(JSON.parse(io.out).did).toBeNull()
    const { jwt } = await issue(t.board, licence())
    const args = ['present', '--credential', file('lic.jwt', jwt), '--key', file('p256.jwk')]
    expect(await cli([...args, '--nonce', 'n'.repeat(16), '--audience', t.hospital.did])).toBe(2)
    expect(io.err).toMatch(/ES256K/)
  })

  it('present: a public-only, non-JSON or missing key file is exit 2', async () => {
    await cli(['keygen', '--out', file('pk.jwk'), '--json'])
    const pub = JSON.parse(io.out).jwk
    const { jwt } = await issue(t.board, licence())
    const base = [
      'present',
      '--credential',
      file('lic2.jwt', jwt),
      '--nonce',
      'n'.repeat(16),
      '--audience',
      'a',
    ]
    for (const key of [
      file('pub.jwk', JSON.stringify(pub)),
      file('junk.jwk', 'not json'),
      join(dir, 'none'),
    ]) {
      io.err = ''
      expect(await cli([...base, '--key', key])).toBe(2)
      expect(io.err.length).toBeGreaterThan(0)
    }
    expect(await cli(['present', '--key', file('pk.jwk'), '--nonce', 'n', '--audience', 'a'])).toBe(2)
    expect(io.err).toMatch(/--credential/)
  })

  it('present: a credential file that is not a credential is exit 1 with a code', async () => {
    await cli(['keygen', '--out', file('pk2.jwk')])
    const args = ['--key', file('pk2.jwk'), '--nonce', 'n'.repeat(16), '--audience', t.hospital.did]
    io.out = ''
    const code = await cli(['present', '--credential', file('junk.sd', 'a~b~'), ...args, '--json'])
    expect(code).toBeGreaterThan(0)
    expect(jsonError().code).not.toBe('internal')
  })

  it('request-presentation: a ttl out of range or not a number is refused with the API code', async () => {
    for (const ttl of ['5', '601', 'abc', '']) {
      io.out = ''
      const code = await cli(['request-presentation', '--ttl', ttl, '--json'])
      expect(code, ttl).toBeGreaterThan(0)
      expect(['invalid_request', 'usage']).toContain(jsonError().code)
    }
    io.out = ''
    expect(await cli(['request-presentation', '--json'], 'wrong-token')).toBe(1)
    expect(jsonError().code).toBe('unauthorized')
  })

  it('verify-presentation: short nonce, unknown verifier, missing flags, garbage', async () => {
    const vp = file('garbage.vp', 'hello')
    io.out = ''
    const secret = ['--request-secret', 's'.repeat(32)]
    expect(
      await cli([
        'verify-presentation',
        vp,
        '--verifier',
        t.hospital.id,
        '--nonce',
        'short',
        ...secret,
        '--json',
      ]),
    ).toBe(1)
    expect(jsonError().code).toBe('invalid_request')
    expect(jsonError().message).toMatch(/nonce/)
    io.out = ''
    expect(
      await cli([
        'verify-presentation',
        vp,
        '--verifier',
        'nope',
        '--nonce',
        'n'.repeat(16),
        ...secret,
        '--json',
      ]),
    ).toBe(1)
    expect(jsonError().code).toBe('not_found')
    expect(await cli(['verify-presentation', vp, '--nonce', 'n'.repeat(16)])).toBe(2)
    expect(io.err).toMatch(/--verifier/)
    expect(await cli(['verify-presentation', vp, '--verifier', t.hospital.id])).toBe(2)
    expect(await cli(['verify-presentation', file('empty.vp', ''), '--verifier', 'x', '--nonce', 'y'])).toBe(
      2,
    )
    io.out = ''
    expect(
      await cli(['verify-presentation', vp, '--verifier', t.hospital.id, '--nonce', 'n'.repeat(16)]),
    ).toBe(2)
    expect(io.err).toMatch(/--request-secret/)
    io.out = ''
    const { nonce, requestSecret } = await nonceFor(t.hospital)
    const asked = ['--nonce', nonce, '--request-secret', requestSecret]
    expect(await cli(['verify-presentation', vp, '--verifier', t.hospital.id, ...asked])).toBe(1)
    expect(io.out).toMatch(/^NOT VALID presentation/)
  })

  it("status: usage errors are exit 2; an unknown or another organisation's id is exit 1 not_found", async () => {
    expect(await cli(['status', 'revoke'])).toBe(2)
    expect(await cli(['status'])).toBe(2)
    expect(await cli(['status', 'destroy', 'x'])).toBe(2)
    io.out = ''
    expect(await cli(['status', 'revoke', 'no-such-id', '--json'])).toBe(1)
    expect(jsonError().code).toBe('not_found')
    const { id } = await issue(t.board, licence())
    io.out = ''
    expect(await cli(['status', 'revoke', id, '--json'])).toBe(1)
    expect(jsonError().code).toBe('not_found')
    io.out = ''
    expect(await cli(['status', 'revoke', '../../x?y#z', '--json'])).toBe(1)
    expect(jsonError().code).toBe('not_found')
    expect(await cli(['status', 'revoke', id], t.board.token)).toBe(0)
  })

  it('issue --format sd-jwt: bad key files and formats are exit 2; API refusals exit 1', async () => {
    file('claims2.json', JSON.stringify(patientClaims()))
    const base = ['issue', 'identity', '--subject', patient.did, '--claims', file('claims2.json')]
    const rsa = file('rsa.jwk', JSON.stringify({ kty: 'RSA', n: 'AQAB', e: 'AQAB' }))
    const p384 = file('p384.jwk', JSON.stringify({ ...patient.jwk, crv: 'P-384' }))
    const offCurve = file('off.jwk', JSON.stringify({ ...patient.jwk, crv: 'P-256' }))
    for (const key of [rsa, p384, offCurve, file('notjson.jwk', '{'), join(dir, 'absent.jwk')]) {
      io.err = ''
      expect(await cli([...base, '--format', 'sd-jwt', '--holder-jwk', key]), key).toBe(2)
      expect(io.err.length).toBeGreaterThan(0)
    }
    expect(await cli([...base, '--format', 'dc+sd-jwt'])).toBe(2)
    expect(io.err).toMatch(/--format/)
    // The API refuses an SD-JWT licence from a hospital (403) with its code.
    io.out = ''
    const lic = [
      'issue',
      'licence',
      '--subject',
      clinician.did,
      '--claims',
      file('lic.json', JSON.stringify(licenceClaims())),
    ]
    const pubKey = file('pub2.jwk', JSON.stringify(clinician.jwk))
    expect(
      await cli([
        ...lic,
        '--format',
        'sd-jwt',
        '--holder-jwk',
        pubKey,
        '--valid-until',
        inDays(30),
        '--json',
      ]),
    ).toBe(1)
    expect(jsonError().code).toBe('forbidden')
  })
})
