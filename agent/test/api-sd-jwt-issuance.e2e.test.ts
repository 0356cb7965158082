import { base64urlEncode } from '@clavis/crypto'
import { describe, expect, it } from 'vitest'
import { badRequests, type Case, issue, json, licenceBody, p256Jwk, sdIdentityBody, tooBig } from './api'
import { patientClaims, useTestAgent } from './harness'
import { decodeJwt, holderKey } from './holders'

// The HTTP API end to end: issuing SD-JWT VCs bound to a holder key, and the bad input it refuses.

const patient = holderKey()
const clinician = holderKey()

const t = useTestAgent()

const table = (cases: Case[]) => badRequests(() => t, cases)

const identity = (overrides: Record<string, unknown> = {}) => sdIdentityBody(patient, overrides)
const licence = (overrides: Record<string, unknown> = {}) => licenceBody(clinician.did, overrides)

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
    expect((await issue(t, t.board, body)).format).toBe('dc+sd-jwt')
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
