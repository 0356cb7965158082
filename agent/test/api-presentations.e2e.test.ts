import { base64urlEncode } from '@clavis/crypto'
import { presentSdJwtVc } from '@clavis/sd-jwt'
import { presentJwtVp } from '@clavis/verify'
import { describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES } from '../src/http/app'
import {
  badRequests,
  type Case,
  issue,
  json,
  licenceBody,
  nonceFor,
  type Req,
  sdIdentityBody,
  tooBig,
} from './api'
import { patientClaims, type TestAgent, useTestAgent } from './harness'
import { holderKey } from './holders'

// The HTTP API end to end: presentation requests (single-use nonces with a secret) and verifying
// JWT VPs and SD-JWT VC presentations made for them.

const patient = holderKey()
const clinician = holderKey()

const t = useTestAgent()

const table = (cases: Case[]) => badRequests(() => t, cases)

const identity = (overrides: Record<string, unknown> = {}) => sdIdentityBody(patient, overrides)
const licence = (overrides: Record<string, unknown> = {}) => licenceBody(clinician.did, overrides)

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
    const other = await nonceFor(t, t.hospital)
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
    const { jwt } = await issue(t, t.board, licence())
    const { nonce, audience, requestSecret } = await nonceFor(t, t.hospital)
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
    const { jwt } = await issue(t, t.hospital, identity())
    const { nonce, audience, requestSecret } = await nonceFor(t, t.hospital)
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
    const { jwt } = await issue(t, t.board, licence())
    const { nonce, requestSecret } = await nonceFor(t, t.board)
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
    const { jwt } = await issue(t, t.board, licence())
    const asked = await nonceFor(t, t.hospital)
    const vp = await presentJwtVp({
      credentials: [jwt],
      holder: clinician.did,
      kid: clinician.kid,
      signer: clinician.signer,
      nonce: asked.nonce,
      audience: asked.audience,
    })
    for (const requestSecret of ['s'.repeat(32), (await nonceFor(t, t.hospital)).requestSecret]) {
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
    const { nonce, requestSecret } = await nonceFor(t, t.hospital)
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
