import { base64urlJson as encodeSegment, MAX_JWT_LENGTH } from '@clavis/crypto'
import { describe, expect, it } from 'vitest'
import { decodeJwtCredential } from './decodeJwtCredential'

const iss = 'did:ethr:0x539:0x0000000000000000000000000000000000000001'
const v1 = 'https://www.w3.org/2018/credentials/v1'
const v2 = 'https://www.w3.org/ns/credentials/v2'
const payload = { iss, sub: 'did:ethr:0x539:0x02', vc: { '@context': [v1], type: ['VerifiableCredential'] } }
/** A VC 2.0 credential secured with VC-JOSE-COSE: the claims set is the credential. */
const v2Payload = { '@context': [v2], type: ['VerifiableCredential'], issuer: iss, credentialSubject: {} }
const v2Header = { alg: 'ES256K', typ: 'vc+jwt', kid: `${iss}#controller` }
const signature = 'A'.repeat(86) // 64 zero bytes
const jwtWith = (header: unknown, body: unknown = payload, sig = signature) =>
  `${encodeSegment(header)}.${encodeSegment(body)}.${sig}`

const codeOf = (jwt: unknown) => {
  const result = decodeJwtCredential({ jwt })
  return result.ok ? 'ok' : result.error.code
}

describe('decodeJwtCredential', () => {
  it('accepts alg ES256K and ES256 with typ and kid, in both forms', () => {
    expect(codeOf(jwtWith({ alg: 'ES256K', typ: 'JWT' }))).toBe('ok')
    expect(codeOf(jwtWith({ alg: 'ES256K' }))).toBe('ok')
    expect(codeOf(jwtWith({ ...v2Header, alg: 'ES256' }, v2Payload))).toBe('ok')
    expect(codeOf(jwtWith({ ...v2Header, cty: 'vc' }, v2Payload))).toBe('ok')
    const v1Decoded = decodeJwtCredential({ jwt: jwtWith({ alg: 'ES256K', typ: 'JWT' }) })
    expect(v1Decoded).toMatchObject({
      ok: true,
      value: { format: 'jwt_vc', signer: iss, document: payload.vc },
    })
    const v2Decoded = decodeJwtCredential({ jwt: jwtWith(v2Header, { ...v2Payload, issuer: { id: iss } }) })
    expect(v2Decoded).toMatchObject({ ok: true, value: { format: 'vc+jwt', signer: iss } })
  })

  it('decides the form by typ and refuses mixing the two (VC-JOSE-COSE; VC DM 1.1 §6.3.1)', () => {
    // A VC 1.1 JWT (vc claim) under typ vc+jwt; a VC 2.0 claims set under typ JWT.
    expect(codeOf(jwtWith(v2Header, payload))).toBe('malformed')
    expect(codeOf(jwtWith({ alg: 'ES256K', typ: 'JWT' }, { ...v2Payload, iss }))).toBe('malformed')
    // "The JWT Claim Names vc and vp MUST NOT be present."
    expect(codeOf(jwtWith(v2Header, { ...v2Payload, vc: payload.vc }))).toBe('malformed')
    expect(codeOf(jwtWith(v2Header, { ...v2Payload, vp: {} }))).toBe('malformed')
    // The other data model's context or validity properties.
    expect(codeOf(jwtWith(v2Header, { ...v2Payload, '@context': [v1] }))).toBe('malformed')
    expect(codeOf(jwtWith(v2Header, { ...v2Payload, '@context': [v2, v1] }))).toBe('malformed')
    expect(codeOf(jwtWith(v2Header, { ...v2Payload, issuanceDate: '2030-01-01T00:00:00Z' }))).toBe(
      'malformed',
    )
    expect(codeOf(jwtWith(v2Header, { ...v2Payload, expirationDate: '2030-01-01T00:00:00Z' }))).toBe(
      'malformed',
    )
    const vc = payload.vc
    expect(codeOf(jwtWith({ alg: 'ES256K' }, { ...payload, vc: { ...vc, '@context': [v2] } }))).toBe(
      'malformed',
    )
    expect(codeOf(jwtWith({ alg: 'ES256K' }, { ...payload, vc: { ...vc, '@context': [v1, v2] } }))).toBe(
      'malformed',
    )
    expect(
      codeOf(jwtWith({ alg: 'ES256K' }, { ...payload, vc: { ...vc, validFrom: '2030-01-01T00:00:00Z' } })),
    ).toBe('malformed')
    expect(codeOf(jwtWith({ alg: 'ES256K' }, { ...payload, validUntil: '2030-01-01T00:00:00Z' }))).toBe(
      'malformed',
    )
    expect(codeOf(jwtWith({ alg: 'ES256K' }, { ...payload, '@context': [v1] }))).toBe('malformed')
    // What the caller expects (a VP decides it for its credentials).
    expect(decodeJwtCredential({ jwt: jwtWith(v2Header, v2Payload), expect: 'jwt_vc' })).toMatchObject({
      ok: false,
      error: { code: 'malformed' },
    })
  })

  it('needs a DID issuer and a kid in a vc+jwt, and cty only "vc"', () => {
    expect(codeOf(jwtWith(v2Header, { ...v2Payload, issuer: 'https://board.example' }))).toBe('malformed')
    expect(codeOf(jwtWith(v2Header, { ...v2Payload, issuer: undefined }))).toBe('malformed')
    expect(codeOf(jwtWith({ ...v2Header, kid: undefined }, v2Payload))).toBe('unexpected_header')
    expect(codeOf(jwtWith({ ...v2Header, cty: 'vp' }, v2Payload))).toBe('unexpected_header')
    expect(codeOf(jwtWith({ alg: 'ES256K', cty: 'vc' }))).toBe('unexpected_header')
  })

  it.each([['none'], ['HS256'], ['RS256'], ['EdDSA'], ['ES256K-R'], ['es256k'], [undefined], [42]])(
    'refuses alg %s as unsupported_algorithm',
    (alg) => {
      expect(codeOf(jwtWith({ alg, typ: 'JWT' }))).toBe('unsupported_algorithm')
    },
  )

  it.each([['jku'], ['x5u'], ['jwk'], ['crit'], ['b64'], ['x5c']])(
    'refuses header parameter %s as unexpected_header',
    (name) => {
      const result = decodeJwtCredential({ jwt: jwtWith({ alg: 'ES256K', [name]: 'x' }) })
      expect(result).toMatchObject({ ok: false, error: { code: 'unexpected_header' } })
      expect(!result.ok && result.error.reason).toContain(name)
    },
  )

  it('refuses a typ other than JWT or vc+jwt, and a non-string kid', () => {
    expect(codeOf(jwtWith({ alg: 'ES256K', typ: 'dc+sd-jwt' }))).toBe('unexpected_header')
    expect(codeOf(jwtWith({ alg: 'ES256K', typ: 'vc+ld+jwt' }))).toBe('unexpected_header')
    expect(codeOf(jwtWith({ alg: 'ES256K', typ: 'vp+jwt' }))).toBe('unexpected_header')
    expect(codeOf(jwtWith({ alg: 'ES256K', kid: 7 }))).toBe('unexpected_header')
  })

  it.each([
    ['an empty string', ''],
    ['two parts', 'a.b'],
    ['four parts', 'a.b.c.d'],
    ['non-base64 segments', '!!.??.**'],
    ['a JSON string header', `${encodeSegment('x')}.${encodeSegment(payload)}.${signature}`],
    ['a number', 42],
    ['undefined', undefined],
  ])('refuses %s as malformed', (_, jwt) => {
    expect(codeOf(jwt)).toBe('malformed')
  })

  it('refuses oversize input before decoding it', () => {
    const result = decodeJwtCredential({ jwt: 'a'.repeat(MAX_JWT_LENGTH + 1) })
    expect(result).toMatchObject({ ok: false, error: { code: 'malformed' } })
    expect(!result.ok && result.error.reason).toContain(String(MAX_JWT_LENGTH))
  })

  it('refuses padded or wrong-length signatures', () => {
    expect(codeOf(jwtWith({ alg: 'ES256K' }, payload, `${signature}==`))).toBe('malformed')
    expect(codeOf(jwtWith({ alg: 'ES256K' }, payload, 'AAAA'))).toBe('malformed')
    expect(codeOf(jwtWith({ alg: 'ES256K' }, payload, ''))).toBe('malformed')
  })

  it.each([
    ['no iss', { vc: {} }],
    ['a non-DID iss', { iss: 'https://board.example', vc: {} }],
    ['an iss with a fragment', { iss: `${iss}#controller`, vc: {} }],
    ['an iss naming a version', { iss: `${iss}?versionId=3`, vc: {} }],
    ['no vc', { iss }],
    ['a vc array', { iss, vc: [] }],
    ['a string exp', { iss, vc: {}, exp: '2030-01-01' }],
    ['a non-string sub', { iss, vc: {}, sub: 5 }],
  ])('refuses a payload with %s as malformed', (_, body) => {
    expect(codeOf(jwtWith({ alg: 'ES256K' }, body))).toBe('malformed')
  })
})
